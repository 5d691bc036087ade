// Data-driven tables: each row is a change to a valid seed object and the exact outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit } from '../../../src/core/admission/admit.js';
import { formatFieldError } from '../../../src/core/errors.js';
import { deleteAt, fixture, getAt, kindOf, setAt } from './fixtures.js';

type Obj = Record<string, unknown>;
interface Row {
  readonly name: string;
  readonly kind: string;
  readonly base: () => Obj;
  readonly edit: (o: Obj) => void;
  /** Expected error paths (exact, in any order); [] = accepted. */
  readonly errors: readonly string[];
  /** Substring every error message for those paths must contain, when given. */
  readonly message?: string;
  readonly warnings?: number;
}

const dataset = (): Obj => fixture('seed001-dataset.yaml', 'Dataset');
const alluxio = (): Obj => fixture('seed001-runtime.yaml', 'AlluxioRuntime');
const juicefs = (): Obj => fixture('seed003-dataset.yaml', 'JuiceFSRuntime');
const dataload = (): Obj => fixture('dataload.yaml', 'DataLoad');
const L0 = ['spec', 'tieredstore', 'levels', 0] as const;
/** Edit: set spec.tieredstore.levels[0].<key>. */
const level0 = (key: string, v: unknown) => (o: Obj): void => setAt(o, [...L0, key], v);
const set = (path: readonly (string | number)[], v: unknown) => (o: Obj): void => setAt(o, path, v);
const del = (path: readonly (string | number)[]) => (o: Obj): void => deleteAt(o, path);

const rows: Row[] = [
  // quantities
  { name: 'quota 2Gi', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quota', '2Gi'), errors: [] },
  { name: 'quota 1G', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quota', '1G'), errors: [] },
  { name: 'quota 100Mi', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quota', '100Mi'), errors: [] },
  { name: 'quota 2GB', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quota', '2GB'), errors: ['spec.tieredstore.levels[0].quota'], message: 'quantity must be a number with an optional suffix' },
  { name: 'quota -1Gi', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quota', '-1Gi'), errors: ['spec.tieredstore.levels[0].quota'], message: 'negative' },
  { name: 'quota as boolean', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quota', true), errors: ['spec.tieredstore.levels[0].quota'], message: 'integer or a string' },
  { name: 'juicefs plain Mi number', kind: 'JuiceFSRuntime', base: juicefs, edit: level0('quota', 40960), errors: [] },
  { name: 'quotaList with a bad entry', kind: 'AlluxioRuntime', base: alluxio, edit: level0('quotaList', '1Gi,ten'), errors: ['spec.tieredstore.levels[0].quotaList'] },
  // watermarks
  { name: 'low 0.7 high 0.95', kind: 'AlluxioRuntime', base: alluxio, edit: () => undefined, errors: [] },
  { name: 'low equals high', kind: 'AlluxioRuntime', base: alluxio, edit: level0('low', '0.95'), errors: [] },
  { name: 'low above high', kind: 'AlluxioRuntime', base: alluxio, edit: level0('low', '0.99'), errors: ['spec.tieredstore.levels[0].low'], message: 'greater than high' },
  { name: 'high above 1', kind: 'AlluxioRuntime', base: alluxio, edit: level0('high', '1.5'), errors: ['spec.tieredstore.levels[0].high'], message: 'between 0 and 1' },
  { name: 'low negative', kind: 'AlluxioRuntime', base: alluxio, edit: level0('low', '-0.1'), errors: ['spec.tieredstore.levels[0].low'] },
  { name: 'high not a number', kind: 'AlluxioRuntime', base: alluxio, edit: level0('high', 'lots'), errors: ['spec.tieredstore.levels[0].high'] },
  { name: 'high as a YAML number', kind: 'AlluxioRuntime', base: alluxio, edit: level0('high', 0.95), errors: ['spec.tieredstore.levels[0].high'], message: 'must be of type string' },
  { name: 'mediumtype NVME', kind: 'AlluxioRuntime', base: alluxio, edit: level0('mediumtype', 'NVME'), errors: ['spec.tieredstore.levels[0].mediumtype'], message: 'supported values: "MEM", "SSD", "HDD"' },
  // mount schemes
  ...['local:///data', 'http://127.0.0.1:8080/d/', 'https://x/y/', 's3://b/p', 's3a://b', 'oss://b/d', 'pvc://claim/sub', 'juicefs:///demo', 'minio://bucket', 'nfs://host/export'].map((mp): Row => ({
    name: `mountPoint ${mp}`, kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'mountPoint'], mp), errors: [],
  })),
  ...['ftp://x', 'no-scheme', 'gopher://host/x'].map((mp): Row => ({
    name: `mountPoint ${mp}`, kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'mountPoint'], mp),
    errors: ['spec.mounts[0].mountPoint'], message: 'supported schemes: local://, http://, https://, s3://',
  })),
  { name: 'mountPoint missing', kind: 'Dataset', base: dataset, edit: del(['spec', 'mounts', 0, 'mountPoint']), errors: ['spec.mounts[0].mountPoint'], message: 'Required value' },
  { name: 'no mounts', kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts'], []), errors: ['spec.mounts'], message: 'Invalid value: []: must have at least 1 item(s)' },
  // mount paths (Fluid: empty = /<name>, "/" only for a single mount) and pvc:// claims
  { name: 'path / with a single mount', kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'path'], '/'), errors: [] },
  {
    name: 'path / with two mounts', kind: 'Dataset', base: dataset,
    edit: (o) => { setAt(o, ['spec', 'mounts', 0, 'path'], '/'); (getAt(o, ['spec', 'mounts']) as unknown[]).push({ mountPoint: 'https://b/', name: 'other' }); },
    errors: ['spec.mounts[0].path'], message: 'allowed only when the dataset has a single mount',
  },
  { name: 'nested path', kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'path'], '/a/b'), errors: ['spec.mounts[0].path'], message: 'nested mount paths are not supported' },
  { name: 'pvc:// claim', kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'mountPoint'], 'pvc://data-claim/sub'), errors: [] },
  { name: 'pvc:// bad claim', kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'mountPoint'], 'pvc://Bad_Claim'), errors: ['spec.mounts[0].mountPoint'], message: 'pvc://<claim name>' },
  // mount names
  {
    name: 'duplicate mount name', kind: 'Dataset', base: dataset,
    edit: (o) => { (getAt(o, ['spec', 'mounts']) as unknown[]).push({ mountPoint: 'https://b/', name: 'hbase' }); }, errors: ['spec.mounts[1].name'], message: 'Duplicate value: "hbase"',
  },
  {
    name: 'two mounts without names', kind: 'Dataset', base: dataset,
    edit: set(['spec', 'mounts'], [{ mountPoint: 'https://a/' }, { mountPoint: 'https://b/' }]), errors: [],
  },
  // names
  ...['hbase', 'a', 'demo-1', 'a'.repeat(63)].map((n): Row => ({ name: `name ${n.slice(0, 10)}`, kind: 'AlluxioRuntime', base: alluxio, edit: (o) => { (o['metadata'] as Obj)['name'] = n; }, errors: [] })),
  ...['HBase', '1abc', 'abc-', 'a.b', 'a_b'].map((n): Row => ({
    name: `runtime name ${n}`, kind: 'AlluxioRuntime', base: alluxio, edit: (o) => { (o['metadata'] as Obj)['name'] = n; },
    errors: ['metadata.name'], message: 'a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character',
  })),
  { name: 'dataset name 2demo', kind: 'Dataset', base: dataset, edit: (o) => { (o['metadata'] as Obj)['name'] = '2demo'; }, errors: ['metadata.name'], message: 'DNS-1035' },
  { name: 'name too long', kind: 'Dataset', base: dataset, edit: (o) => { (o['metadata'] as Obj)['name'] = 'a'.repeat(64); }, errors: ['metadata.name'], message: 'no more than 63' },
  { name: 'no name', kind: 'Dataset', base: dataset, edit: (o) => { delete (o['metadata'] as Obj)['name']; }, errors: ['metadata.name'], message: 'Required value' },
  { name: 'generateName only', kind: 'Dataset', base: dataset, edit: (o) => { o['metadata'] = { generateName: 'ds-' }; }, errors: [] },
  // master replicas
  { name: 'master.replicas 3', kind: 'AlluxioRuntime', base: alluxio, edit: () => undefined, errors: [], warnings: 0 },
  { name: 'master.replicas 2 warns', kind: 'AlluxioRuntime', base: alluxio, edit: set(['spec', 'master', 'replicas'], 2), errors: [], warnings: 1 },
  { name: 'master.replicas 4 warns', kind: 'AlluxioRuntime', base: alluxio, edit: set(['spec', 'master', 'replicas'], 4), errors: [], warnings: 1 },
  { name: 'master.replicas -1', kind: 'AlluxioRuntime', base: alluxio, edit: set(['spec', 'master', 'replicas'], -1), errors: ['spec.master.replicas'], message: 'must be greater than or equal to 0' },
  { name: 'master.replicas 1.5', kind: 'AlluxioRuntime', base: alluxio, edit: set(['spec', 'master', 'replicas'], 1.5), errors: ['spec.master.replicas'], message: 'must be of type integer' },
  { name: 'short mountPoint', kind: 'Dataset', base: dataset, edit: set(['spec', 'mounts', 0, 'mountPoint'], 's3:'), errors: ['spec.mounts[0].mountPoint'], message: 'spec.mounts[0].mountPoint: Invalid value: "s3:"' },
  // DataLoad policy / schedule
  { name: 'policy Once', kind: 'DataLoad', base: dataload, edit: set(['spec', 'policy'], 'Once'), errors: [] },
  { name: 'policy Cron with schedule', kind: 'DataLoad', base: dataload, edit: (o) => { setAt(o, ['spec', 'policy'], 'Cron'); setAt(o, ['spec', 'schedule'], '0 */2 * * MON-FRI'); }, errors: [] },
  { name: 'policy Cron @hourly', kind: 'DataLoad', base: dataload, edit: (o) => { setAt(o, ['spec', 'policy'], 'Cron'); setAt(o, ['spec', 'schedule'], '@hourly'); }, errors: [] },
  { name: 'policy Cron without schedule', kind: 'DataLoad', base: dataload, edit: set(['spec', 'policy'], 'Cron'), errors: ['spec.schedule'], message: 'Required value' },
  { name: 'policy Cron with 4 fields', kind: 'DataLoad', base: dataload, edit: (o) => { setAt(o, ['spec', 'policy'], 'Cron'); setAt(o, ['spec', 'schedule'], '* * * *'); }, errors: ['spec.schedule'], message: 'expected 5 fields' },
  { name: 'policy Cron minute 60', kind: 'DataLoad', base: dataload, edit: (o) => { setAt(o, ['spec', 'policy'], 'Cron'); setAt(o, ['spec', 'schedule'], '60 * * * *'); }, errors: ['spec.schedule'], message: 'minute' },
  { name: 'policy Weekly', kind: 'DataLoad', base: dataload, edit: set(['spec', 'policy'], 'Weekly'), errors: ['spec.policy'], message: 'supported values: "Once", "Cron", "OnEvent"' },
  { name: 'dataset name missing', kind: 'DataLoad', base: dataload, edit: del(['spec', 'dataset', 'name']), errors: ['spec.dataset.name'] },
];

for (const row of rows) {
  test(`GIVEN a ${row.kind} with ${row.name} WHEN admitted THEN ${row.errors.length === 0 ? 'it is accepted' : `it is rejected at ${row.errors.join(', ')}`}`, () => {
    const obj = row.base();
    row.edit(obj);
    const r = admit(kindOf(row.kind), obj, { fieldValidation: 'Strict' });
    if (row.errors.length === 0) {
      assert.ok(r.ok, JSON.stringify(r.ok ? [] : r.errors));
    } else {
      assert.ok(!r.ok, 'expected a rejection');
      assert.deepEqual([...new Set(r.errors.map((e) => e.path))].sort(), [...row.errors].sort());
      if (row.message !== undefined) {
        for (const e of r.errors) assert.ok(formatFieldError(e).includes(row.message), `${formatFieldError(e)} should include ${row.message}`);
      }
    }
    if (row.warnings !== undefined) assert.equal(r.warnings.length, row.warnings, JSON.stringify(r.warnings));
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../../src/core/table/to-table.js';
import { humanDuration } from '../../../src/api/kinds/human-duration.js';
import { alluxioRuntimeKind, datasetKind, podKind, secretKind, juiceFSRuntimeKind, dataLoadKind } from '../../../src/api/kinds/index.js';
import type { KindDefinition } from '../../../src/api/kind.js';

const created = '2026-01-01T00:00:00Z';
const at = (seconds: number): Date => new Date(Date.parse(created) + seconds * 1000);

interface Col { name: string; priority: number; type: string; format: string }
const table = (def: KindDefinition, objs: Record<string, unknown>[], now: Date) => {
  const t = toTable(def, objs, { now, includeObject: 'None' });
  return { t, cols: t['columnDefinitions'] as Col[], rows: t['rows'] as { cells: unknown[]; object?: unknown }[] };
};
/** What kubectl shows: default columns, or with -o wide every column. */
const shown = (cols: Col[], wide: boolean): string[] => cols.filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());

test('GIVEN an unbound Dataset 13s old WHEN rendered THEN kubectl get dataset shows the Fluid columns, empty cells and PHASE NotBound', () => {
  const { t, cols, rows } = table(datasetKind, [{ metadata: { name: 'hbase', creationTimestamp: created }, status: { phase: 'NotBound' } }], at(13));
  assert.equal(t['kind'], 'Table');
  assert.equal(t['apiVersion'], 'meta.k8s.io/v1');
  assert.deepEqual(shown(cols, false), ['NAME', 'UFS TOTAL SIZE', 'CACHED', 'CACHE CAPACITY', 'CACHED PERCENTAGE', 'PHASE', 'AGE']);
  assert.equal(cols[0]?.format, 'name');
  const visible = rows[0]?.cells.filter((_, i) => cols[i]?.priority === 0);
  assert.deepEqual(visible, ['hbase', '', '', '', '', 'NotBound', '13s']);
  assert.equal(rows[0]?.object, undefined);
});

test('GIVEN a bound Dataset WHEN rendered THEN the cache states fill their columns', () => {
  const ds = { metadata: { name: 'hbase', creationTimestamp: created }, status: { phase: 'Bound', ufsTotal: '550.82MiB', cacheStates: { cached: '0.00B', cacheCapacity: '4.00GiB', cachedPercentage: '0.0%' } } };
  const { cols, rows } = table(datasetKind, [ds], at(178));
  assert.deepEqual(rows[0]?.cells.filter((_, i) => cols[i]?.priority === 0), ['hbase', '550.82MiB', '0.00B', '4.00GiB', '0.0%', 'Bound', '2m58s']);
});

test('GIVEN an AlluxioRuntime WHEN rendered THEN default columns are the phases and -o wide adds the counts in Fluid order', () => {
  const rt = {
    metadata: { name: 'hbase', creationTimestamp: created },
    status: { masterNumberReady: 3, desiredMasterNumberScheduled: 3, masterPhase: 'Ready', workerNumberReady: 2, desiredWorkerNumberScheduled: 2, workerPhase: 'Ready', fuseNumberReady: 2, desiredFuseNumberScheduled: 2, fusePhase: 'Ready' },
  };
  const { cols, rows } = table(alluxioRuntimeKind, [rt], at(166));
  assert.deepEqual(shown(cols, false), ['NAME', 'MASTER PHASE', 'WORKER PHASE', 'FUSE PHASE', 'AGE']);
  assert.deepEqual(shown(cols, true).filter((n) => n !== 'API GATEWAY'), [
    'NAME', 'READY MASTERS', 'DESIRED MASTERS', 'MASTER PHASE', 'READY WORKERS', 'DESIRED WORKERS', 'WORKER PHASE', 'READY FUSES', 'DESIRED FUSES', 'FUSE PHASE', 'AGE',
  ]);
  const byName = Object.fromEntries(cols.map((c, i) => [c.name.toUpperCase(), rows[0]?.cells[i]]));
  assert.deepEqual([byName['READY MASTERS'], byName['DESIRED MASTERS'], byName['MASTER PHASE'], byName['READY WORKERS'], byName['FUSE PHASE'], byName['AGE']], [3, 3, 'Ready', 2, 'Ready', '2m46s']);
});

test('GIVEN a JuiceFSRuntime and a DataLoad WHEN rendered THEN their columns are Fluid\'s', () => {
  assert.deepEqual(shown(table(juiceFSRuntimeKind, [], at(0)).cols, true), ['NAME', 'READY WORKERS', 'DESIRED WORKERS', 'WORKER PHASE', 'READY FUSES', 'DESIRED FUSES', 'FUSE PHASE', 'AGE']);
  const dl = { metadata: { name: 'load', creationTimestamp: created }, spec: { dataset: { name: 'hbase' } }, status: { phase: 'Complete', duration: '41s' } };
  const { cols, rows } = table(dataLoadKind, [dl], at(600));
  assert.deepEqual(shown(cols, false), ['NAME', 'DATASET', 'PHASE', 'AGE', 'DURATION']);
  assert.deepEqual(rows[0]?.cells, ['load', 'hbase', 'Complete', '10m', '41s']);
});

test('GIVEN includeObject Metadata or Object WHEN rendered THEN each row carries the partial or full object', () => {
  const obj = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: created }, type: 'Opaque', data: { a: 'eA==', b: 'eQ==' } };
  const meta = toTable(secretKind, [obj], { now: at(5), includeObject: 'Metadata' });
  const rows = meta['rows'] as { cells: unknown[]; object: Record<string, unknown> }[];
  assert.deepEqual(rows[0]?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });
  assert.deepEqual(rows[0]?.cells, ['s', 'Opaque', 2, '5s']);
  const full = toTable(secretKind, [obj], { now: at(5), includeObject: 'Object' });
  assert.deepEqual((full['rows'] as { object: unknown }[])[0]?.object, obj);
});

test('GIVEN a running pod WHEN rendered THEN READY STATUS RESTARTS AGE and wide IP NODE are kubectl\'s', () => {
  const pod = {
    metadata: { name: 'hbase-master-0', creationTimestamp: created },
    spec: { nodeName: 'node-1', containers: [{ name: 'a' }, { name: 'b' }] },
    status: { phase: 'Running', podIP: '10.0.1.10', containerStatuses: [{ ready: true, restartCount: 1, state: { running: {} } }, { ready: true, restartCount: 0, state: { running: {} } }] },
  };
  const { cols, rows } = table(podKind, [pod], at(61));
  assert.deepEqual(shown(cols, false), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  assert.deepEqual(rows[0]?.cells.slice(0, 7), ['hbase-master-0', '2/2', 'Running', 1, '61s', '10.0.1.10', 'node-1']);
  const waiting = { ...pod, status: { phase: 'Pending', containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } };
  assert.deepEqual(table(podKind, [waiting], at(1)).rows[0]?.cells.slice(1, 3), ['0/2', 'ContainerCreating']);
});

const durations: [number, string][] = [
  [-5, '<invalid>'], [-1, '0s'], [0, '0s'], [13, '13s'], [119, '119s'], [120, '2m'], [178, '2m58s'], [335, '5m35s'], [600, '10m'],
  [18 * 60, '18m'], [179 * 60, '179m'], [3 * 3600, '3h'], [3 * 3600 + 60, '3h1m'], [10 * 3600, '10h'], [47 * 3600, '47h'],
  [3 * 86400, '3d'], [3 * 86400 + 3600, '3d1h'], [30 * 86400, '30d'], [800 * 86400, '2y70d'], [9 * 365 * 86400, '9y'],
];
for (const [s, text] of durations) {
  test(`GIVEN an age of ${s}s WHEN printed THEN it reads ${text}`, () => {
    assert.equal(humanDuration(s * 1000), text);
  });
}

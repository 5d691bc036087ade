import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFieldError } from '../../../src/core/errors.js';
import { admit } from '../../../src/core/admission/admit.js';
import { allKinds, datasetKind, secretKind, dataLoadKind } from '../../../src/api/kinds/index.js';
import { fixture } from './fixtures.js';

const withFoo = (): Record<string, unknown> => {
  const o = fixture('seed001-dataset.yaml', 'Dataset');
  (o['spec'] as Record<string, unknown>)['foo'] = 1;
  ((o['spec'] as Record<string, unknown[]>)['mounts']?.[0] as Record<string, unknown>)['bar'] = true;
  return o;
};

test('GIVEN unknown fields WHEN fieldValidation is Strict THEN each is an error "field not declared in schema"', () => {
  const r = admit(datasetKind, withFoo(), { fieldValidation: 'Strict' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => [e.path, e.type, e.message]), [
    ['spec.foo', 'FieldValueUnknown', 'field not declared in schema'],
    ['spec.mounts[0].bar', 'FieldValueUnknown', 'field not declared in schema'],
  ]);
});

test('GIVEN unknown fields WHEN fieldValidation is Warn THEN they are pruned with a warning each', () => {
  const r = admit(datasetKind, withFoo(), { fieldValidation: 'Warn' });
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, ['unknown field "spec.foo"', 'unknown field "spec.mounts[0].bar"']);
  assert.equal((r.object['spec'] as Record<string, unknown>)['foo'], undefined);
});

test('GIVEN unknown fields WHEN fieldValidation is Ignore THEN they are pruned silently', () => {
  const r = admit(datasetKind, withFoo(), { fieldValidation: 'Ignore' });
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(Object.keys(r.object['spec'] as object).sort(), ['mounts', 'placement']);
});

test('GIVEN fields under a core type Fluid nests (volumes, resources) WHEN Strict THEN they are kept as sent', () => {
  const o = fixture('seed000-dataset.yaml', 'JindoRuntime');
  const spec = o['spec'] as Record<string, unknown>;
  spec['volumes'] = [{ name: 'v', hostPath: { path: '/x', type: 'Directory' } }];
  spec['worker'] = { resources: { limits: { memory: '4Gi' } } };
  const r = admit(allKinds.find((k) => k.kind === 'JindoRuntime')!, o, { fieldValidation: 'Strict' });
  assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.errors));
  assert.deepEqual((r.object['spec'] as Record<string, unknown>)['volumes'], spec['volumes']);
});

test('GIVEN a Dataset without placement WHEN admitted THEN placement defaults to Exclusive and the input is untouched', () => {
  const input = fixture('seed001-dataset.yaml', 'Dataset');
  const before = structuredClone(input);
  const r = admit(datasetKind, input, { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  assert.equal((r.object['spec'] as Record<string, unknown>)['placement'], 'Exclusive');
  assert.deepEqual(input, before);
});

test('GIVEN a DataLoad without policy WHEN admitted THEN policy defaults to Once and loadMetadata to false', () => {
  const o = fixture('dataload.yaml', 'DataLoad');
  delete (o['spec'] as Record<string, unknown>)['loadMetadata'];
  const r = admit(dataLoadKind, o, { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  assert.equal((r.object['spec'] as Record<string, unknown>)['policy'], 'Once');
  assert.equal((r.object['spec'] as Record<string, unknown>)['loadMetadata'], false);
});

test('GIVEN a Secret with stringData WHEN admitted THEN the values fold into base64 data and stringData is gone', () => {
  const r = admit(secretKind, fixture('seed000-secret.yaml', 'Secret'), { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  assert.equal(r.object['stringData'], undefined);
  assert.deepEqual(r.object['data'], { 'fs.oss.accessKeyId': 'UzNSVkVS', 'fs.oss.accessKeySecret': 'UzNSVkVS' });
  assert.equal(r.object['type'], 'Opaque');
});

test('GIVEN a Secret with data and stringData for the same key and UTF-8 text WHEN admitted THEN stringData wins, encoded as UTF-8', () => {
  const r = admit(secretKind, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==', b: 'eQ==' }, stringData: { a: 'é✓' } }, { fieldValidation: 'Strict' });
  assert.ok(r.ok);
  assert.deepEqual(r.object['data'], { a: Buffer.from('é✓', 'utf8').toString('base64'), b: 'eQ==' });
});

test('GIVEN a wrong kind or apiVersion WHEN admitted THEN the error names the field', () => {
  const o = fixture('seed001-dataset.yaml', 'Dataset');
  o['apiVersion'] = 'data.fluid.io/v1';
  o['kind'] = 'Datasett';
  const r = admit(datasetKind, o, { fieldValidation: 'Strict' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => e.path), ['apiVersion', 'kind']);
});

test('GIVEN labels that are not strings WHEN admitted THEN the error is at metadata.labels[key]', () => {
  const o = fixture('seed001-dataset.yaml', 'Dataset');
  (o['metadata'] as Record<string, unknown>)['labels'] = { app: 3 };
  const r = admit(datasetKind, o, { fieldValidation: 'Strict' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => [e.path, e.message]), [['metadata.labels[app]', 'must be of type string']]);
});

test('GIVEN a mount option that is not a string WHEN admitted THEN the error is at spec.mounts[0].options[key]', () => {
  const o = fixture('seed000-dataset.yaml', 'Dataset');
  ((o['spec'] as Record<string, unknown[]>)['mounts']?.[0] as Record<string, unknown>)['options'] = { 'fs.oss.endpoint': 7 };
  const r = admit(datasetKind, o, { fieldValidation: 'Strict' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => e.path), ['spec.mounts[0].options[fs.oss.endpoint]']);
});

test('GIVEN arbitrary garbage WHEN admitted for any kind and mode THEN admit never throws and never mutates its input', () => {
  const modes = ['Strict', 'Warn', 'Ignore'] as const;
  fc.assert(
    fc.property(fc.constantFrom(...allKinds), fc.constantFrom(...modes), fc.jsonValue(), (def, mode, value) => {
      const before = JSON.stringify(value);
      const r = admit(def, value, { fieldValidation: mode });
      assert.equal(JSON.stringify(value), before);
      if (!r.ok) assert.ok(r.errors.length > 0);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test('GIVEN garbage shaped like a Dataset WHEN admitted THEN admit never throws', () => {
  const field = fc.oneof(fc.jsonValue(), fc.constant(undefined));
  fc.assert(
    fc.property(field, field, field, field, (mounts, mp, levels, meta) => {
      const obj = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', metadata: meta, spec: { mounts: [{ mountPoint: mp, name: mounts }], tieredstore: { levels } } };
      for (const def of allKinds) admit(def, obj, { fieldValidation: 'Strict' });
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('GIVEN a Secret with a bad value WHEN rejected THEN no error echoes the value', () => {
  const input = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'not base64!hunter2' }, stringData: { pw: 12345 } };
  const r = admit(secretKind, input, { fieldValidation: 'Strict' });
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.map((e) => e.path).sort(), ['data[token]', 'stringData[pw]']);
  const text = JSON.stringify(r.errors) + r.errors.map(formatFieldError).join('\n');
  assert.ok(!text.includes('hunter2') && !text.includes('12345'), text);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetKind } from '../../../src/api/kinds/dataset.js';
import { parseDatasetReference } from '../../../src/api/kinds/mount-schemes.js';

test('GIVEN dataset://<ns>/<name> THEN the physical dataset parses; malformed references do not', () => {
  assert.deepEqual(parseDatasetReference('dataset://default/phy'), { namespace: 'default', name: 'phy' });
  assert.deepEqual(parseDatasetReference('dataset://team-b/hbase/'), { namespace: 'team-b', name: 'hbase' });
  for (const bad of ['dataset://Default/x', 'dataset://ns', 'dataset://ns/a/b', 'dataset:///x', 's3://ns/x']) assert.equal(parseDatasetReference(bad), undefined, bad);
});

test('GIVEN a Dataset with users in status.datasetRef WHEN it is deleted THEN deletion is refused naming them', () => {
  assert.equal(datasetKind.validateDelete?.({ status: {} }), undefined);
  assert.equal(datasetKind.validateDelete?.({ status: { datasetRef: [] } }), undefined);
  assert.match(datasetKind.validateDelete?.({ status: { datasetRef: ['b/x', 'c/y'] } }) ?? '', /referenced by datasets b\/x, c\/y .*delete those datasets first/);
});

test('GIVEN a dataset:// mount beside another mount THEN admission names the field', () => {
  const r = datasetKind.validate({ metadata: { name: 'r' }, spec: { mounts: [{ mountPoint: 'dataset://a/b', name: 'a' }, { mountPoint: 'local:///x', name: 'b' }] } });
  assert.ok(r.errors.some((e) => e.path === 'spec.mounts[0].mountPoint' && /only mount/.test(e.message)), JSON.stringify(r.errors));
});

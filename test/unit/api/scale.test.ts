import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crdFor } from '../../../src/core/crd/crd.js';
import { alluxioRuntimeKind } from '../../../src/api/kinds/alluxio-runtime.js';
import { ScaleError, replicasOf, replicasPatch, toScale } from '../../../src/core/patch/scale.js';

const s = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.currentWorkerNumberScheduled', labelSelectorPath: '.status.selector' };

test('GIVEN an AlluxioRuntime THEN its CRD declares Fluid\'s scale subresource next to status', () => {
  const versions = (crdFor(alluxioRuntimeKind)['spec'] as { versions: { subresources: unknown }[] }).versions;
  assert.deepEqual(versions[0]?.subresources, { scale: s, status: {} });
});

test('GIVEN a runtime WHEN viewed as a Scale THEN replicas come from the declared paths and the selector from status', () => {
  const rt = { metadata: { name: 'hbase', namespace: 'default', uid: 'u', resourceVersion: '7', labels: { x: 'y' } }, spec: { replicas: 2 }, status: { currentWorkerNumberScheduled: 1, selector: 'release=hbase' } };
  assert.deepEqual(toScale(rt, s), {
    apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'hbase', namespace: 'default', uid: 'u', resourceVersion: '7' },
    spec: { replicas: 2 }, status: { replicas: 1, selector: 'release=hbase' },
  });
  assert.deepEqual(toScale({ metadata: { name: 'n' } }, s).spec, { replicas: 0 });
});

test('GIVEN a Scale body THEN replicas must be a non-negative integer and become a merge patch at the spec path', () => {
  assert.equal(replicasOf({ spec: { replicas: 3 } }), 3);
  assert.throws(() => replicasOf({ spec: { replicas: -1 } }), (e: unknown) => e instanceof ScaleError && e.field === 'spec.replicas');
  assert.throws(() => replicasOf({ spec: { replicas: '3' } }), ScaleError);
  assert.deepEqual(replicasPatch(s, 3), { spec: { replicas: 3 } });
});

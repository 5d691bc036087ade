import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindingFor, orphanedVolume } from '../../../src/core/reconcile/volume-binding.js';
import type { KubeObject } from '../../../src/core/workloads/kube-object.js';

const claim = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'hbase', namespace: 'default', uid: 'u1' }, spec, ...(status ? { status } : {}),
} as KubeObject);
const volume = (claimRef: Record<string, string> | undefined, phase?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'default-hbase' },
  spec: { capacity: { storage: '100Pi' }, accessModes: ['ReadOnlyMany'], ...(claimRef ? { claimRef } : {}) },
  ...(phase ? { status: { phase } } : {}),
} as KubeObject);

test('GIVEN a claim naming a volume that does not exist yet THEN it stays Pending', () => {
  assert.equal(bindingFor(claim({ volumeName: 'default-hbase' }), [], '/h').kind, 'pending');
});

test('GIVEN a pre-bound volume (claimRef without uid) THEN both go Bound and the claim gets its capacity; the claimRef is left as written', () => {
  const a = bindingFor(claim({ volumeName: 'default-hbase' }), [volume({ namespace: 'default', name: 'hbase' })], '/h');
  assert.deepEqual(a, {
    kind: 'bind', volumeName: 'default-hbase', claimRef: undefined, volumePhase: 'Bound',
    claimStatus: { phase: 'Bound', accessModes: ['ReadOnlyMany'], capacity: { storage: '100Pi' } },
  });
});

test('GIVEN a bound pair WHEN asked again THEN nothing is written', () => {
  const c = claim({ volumeName: 'default-hbase' }, { phase: 'Bound', accessModes: ['ReadOnlyMany'], capacity: { storage: '100Pi' } });
  assert.deepEqual(bindingFor(c, [volume({ namespace: 'default', name: 'hbase' }, 'Bound')], '/h'), { kind: 'none' });
});

test('GIVEN a volume bound to another claim THEN the claim stays Pending with a message naming the volume', () => {
  const a = bindingFor(claim({ volumeName: 'default-hbase' }), [volume({ namespace: 'other', name: 'hbase' })], '/h');
  assert.equal(a.kind, 'pending');
  assert.match(a.kind === 'pending' ? a.message : '', /default-hbase.*another claim/);
});

test('GIVEN a claim without volumeName THEN a local volume pvc-<uid> on the claim directory is provisioned, and deleted once the claim is gone', () => {
  const a = bindingFor(claim({ accessModes: ['ReadWriteOnce'], storageClassName: 'disk', resources: { requests: { storage: '30Gi' } } }), [], '/h');
  assert.equal(a.kind, 'provision');
  const pv = a.kind === 'provision' ? a.volume : undefined;
  assert.equal(pv?.metadata.name, 'pvc-u1');
  assert.deepEqual(pv?.spec, {
    capacity: { storage: '30Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'disk',
    claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'hbase', uid: 'u1' },
    hostPath: { path: '/h/volumes/default/hbase', type: 'DirectoryOrCreate' },
  });
  assert.equal(orphanedVolume(pv as KubeObject, [claim({})]), false);
  assert.equal(orphanedVolume(pv as KubeObject, []), true);
  assert.equal(orphanedVolume(volume({ namespace: 'default', name: 'hbase' }), []), false, 'a Fluid PV is not the binder\'s to delete');
});

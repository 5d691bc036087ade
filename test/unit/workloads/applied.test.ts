// What the API server stores against what a controller wants: server defaults and key order are not changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coversDesired, sameJson } from '../../../src/core/workloads/applied.js';

test('GIVEN a StatefulSet spec the server defaulted WHEN compared with the desired spec THEN it is unchanged; a changed or removed field is a change', () => {
  const desired = { replicas: 3, template: { spec: { containers: [{ name: 'master', args: ['a', 'b'] }], hostNetwork: true } } };
  const stored = { replicas: 3, revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate' }, template: { spec: { containers: [{ name: 'master', args: ['a', 'b'], terminationMessagePath: '/dev/termination-log' }], hostNetwork: true, dnsPolicy: 'ClusterFirst' } } };
  assert.equal(coversDesired(desired, stored), true);
  assert.equal(coversDesired({ ...desired, replicas: 2 }, stored), false);
  assert.equal(coversDesired({ ...desired, template: { spec: { containers: [{ name: 'master', args: ['a'] }], hostNetwork: true } } }, stored), false);
  assert.equal(coversDesired({ a: [1, 2] }, { a: [1, 2, 3] }), false);
  assert.equal(coversDesired({ a: { b: 1 } }, { a: null }), false);
});

test('GIVEN ConfigMap data with keys in another order WHEN compared THEN equal; a missing or extra key is not', () => {
  assert.equal(sameJson({ 'm.json': '1', 'fuse.json': '2' }, { 'fuse.json': '2', 'm.json': '1' }), true);
  assert.equal(sameJson({ 'm.json': '1' }, { 'fuse.json': '2', 'm.json': '1' }), false);
  assert.equal(sameJson([{ a: 1, b: 2 }], [{ b: 2, a: 1 }]), true);
  assert.equal(sameJson([1, 2], [2, 1]), false);
});

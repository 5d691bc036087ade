// The Node and Lease a node agent registers: what the node lifecycle controller, the scheduler and
// `kubectl get nodes -o wide` read from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_LEASE_DURATION_SECONDS, nodeLabels, nodeLease, nodeStatus } from '../../../src/core/workloads/node-status.js';

const facts = { name: 'fluid-node-2', address: '10.123.4.12', cpus: 2, memoryBytes: 24 * 1024 ** 3, arch: 'x64', kernel: '6.18.0' };

test('GIVEN a node host WHEN its status is built THEN InternalIP is its address and capacity equals allocatable', () => {
  const s = nodeStatus(facts, '2026-12-02T01:00:05Z', '2026-12-02T01:00:00Z') as {
    addresses: { type: string; address: string }[]; capacity: Record<string, string>; allocatable: Record<string, string>;
    conditions: { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string }[]; nodeInfo: Record<string, string>;
  };
  assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '10.123.4.12' }, { type: 'Hostname', address: 'fluid-node-2' }]);
  assert.deepEqual(s.capacity, { cpu: '2', memory: '25165824Ki', pods: '110' });
  assert.deepEqual(s.allocatable, s.capacity);
  const ready = s.conditions.find((c) => c.type === 'Ready');
  assert.deepEqual([ready?.status, ready?.lastHeartbeatTime, ready?.lastTransitionTime], ['True', '2026-12-02T01:00:05Z', '2026-12-02T01:00:00Z']);
  assert.deepEqual(s.conditions.filter((c) => c.type !== 'Ready').map((c) => c.status), ['False', 'False', 'False']);
  assert.equal(s.nodeInfo['architecture'], 'amd64');
  assert.equal(s.nodeInfo['operatingSystem'], 'linux');
});

test('GIVEN a node WHEN labelled THEN it carries kubernetes.io/hostname, os and arch in Go terms', () => {
  assert.deepEqual(nodeLabels({ name: 'n1', arch: 'arm64' }), {
    'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'arm64',
  });
});

test('GIVEN a node WHEN its Lease is built THEN it lives in kube-node-lease, is held by the node and owned by the Node', () => {
  const l = nodeLease('fluid-node-2', '2026-12-02T01:00:05.123000Z', 'uid-1');
  assert.equal(l.metadata.namespace, 'kube-node-lease');
  assert.deepEqual(l.spec, { holderIdentity: 'fluid-node-2', leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: '2026-12-02T01:00:05.123000Z' });
  assert.deepEqual(l.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'fluid-node-2', uid: 'uid-1' }]);
  assert.equal(nodeLease('n', 't').metadata.ownerReferences, undefined);
});

test('GIVEN a node that serves the kubelet API WHEN its status is built THEN daemonEndpoints.kubeletEndpoint.Port is that port, else 0', () => {
  const port = (f: typeof facts & { kubeletPort?: number }): unknown => (nodeStatus(f, 't') as { daemonEndpoints: { kubeletEndpoint: { Port: number } } }).daemonEndpoints.kubeletEndpoint.Port;
  assert.equal(port({ ...facts, kubeletPort: 10250 }), 10250);
  assert.equal(port(facts), 0);
});

// masterEndpoints: a runtime's master addresses from the API (pod hostIP + allocated port), the one
// rule the controllers and the CLI share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { masterEndpoints, masterHosts, type AddressedNode, type PlacedPod } from '../../../src/core/reconcile/master-endpoints.js';

const ports = { master: [20001, 20002, 20003], worker: [20004], fuse: 20005 };

/** A pod named `name` placed at `hostIP` (undefined: not placed yet). */
const pod = (name: string, hostIP?: string): PlacedPod => ({ metadata: { name }, status: { hostIP } });

const cases: { name: string; replicas: number; pods: PlacedPod[]; want: string[] }[] = [
  { name: 'three masters on three nodes, listed out of order', replicas: 3,
    pods: [pod('hbase-master-2', '10.1.0.13'), pod('hbase-master-0', '10.1.0.11'), pod('hbase-master-1', '10.1.0.12')],
    want: ['10.1.0.11:20001', '10.1.0.12:20002', '10.1.0.13:20003'] },
  { name: 'a master not placed yet is left out', replicas: 3,
    pods: [pod('hbase-master-0', '10.1.0.11'), pod('hbase-master-1'), pod('hbase-master-2', '')],
    want: ['10.1.0.11:20001'] },
  { name: 'pods of other workloads and ordinals beyond replicas are ignored', replicas: 1,
    pods: [pod('hbase-master-0', '127.0.0.1'), pod('hbase-master-1', '127.0.0.1'), pod('other-master-0', '10.9.9.9'), pod('hbase-worker-0', '10.1.0.11')],
    want: ['127.0.0.1:20001'] },
  { name: 'more replicas than allocated ports', replicas: 4,
    pods: [0, 1, 2, 3].map((i) => pod(`hbase-master-${i}`, '10.1.0.11')),
    want: ['10.1.0.11:20001', '10.1.0.11:20002', '10.1.0.11:20003'] },
  { name: 'an IPv6 node address is bracketed', replicas: 1, pods: [pod('hbase-master-0', 'fd00::11')], want: ['[fd00::11]:20001'] },
];

for (const c of cases) {
  test(`masterEndpoints: ${c.name}`, () => {
    assert.deepEqual(masterEndpoints(ports, 'hbase-master', c.replicas, c.pods), c.want);
  });
}

test('masterEndpoints: no port allocation yet -> no endpoints', () => {
  assert.deepEqual(masterEndpoints(undefined, 'hbase-master', 1, [pod('hbase-master-0', '10.1.0.11')]), []);
});

const node = (name: string, ip: string): AddressedNode => ({ metadata: { name }, status: { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] } });
const bound = (name: string, nodeName: string, hostIP?: string, deleting = false): PlacedPod =>
  ({ metadata: { name, ...(deleting ? { deletionTimestamp: '2026-12-02T00:00:00Z' } : {}) }, spec: { nodeName }, status: { hostIP } });
const nodes = [node('n1', '10.1.0.11'), node('n2', '10.1.0.12'), node('n3', '10.1.0.13')];

test('masterHosts: a pod bound by the scheduler but not yet reported by its node agent gets its Node InternalIP', () => {
  assert.deepEqual(masterHosts('hbase-master', 3, [bound('hbase-master-0', 'n2'), bound('hbase-master-1', 'n3', '10.1.0.13'), bound('hbase-master-2', 'n1')], nodes),
    ['10.1.0.12', '10.1.0.13', '10.1.0.11']);
});

test('masterHosts: an unscheduled pod, a pod on an unknown node and a pod being deleted have no address', () => {
  assert.deepEqual(masterHosts('hbase-master', 3, [pod('hbase-master-0'), bound('hbase-master-1', 'gone'), bound('hbase-master-2', 'n1', '10.1.0.11', true)], nodes),
    [undefined, undefined, undefined]);
});

test('masterEndpoints: addresses from Nodes when the pods carry no hostIP yet', () => {
  assert.deepEqual(masterEndpoints(ports, 'hbase-master', 2, [bound('hbase-master-0', 'n1'), bound('hbase-master-1', 'n2')], nodes), ['10.1.0.11:20001', '10.1.0.12:20002']);
});

test('nodeHostPath: a node host maps hostPaths under its own root and /dev/shm under its own shm root; embedded mode keeps them', async () => {
  const { nodeHostPath } = await import('../../../src/core/workloads/path-map.js');
  assert.equal(nodeHostPath('/var/lib/fluid-ts/cache/default/hbase', '/c/nodes/n1/root', '/dev/shm/fluid-1'), '/c/nodes/n1/root/var/lib/fluid-ts/cache/default/hbase');
  assert.equal(nodeHostPath('/dev/shm/fluid-ts/default/hbase', '/c/nodes/n1/root', '/dev/shm/fluid-1'), '/dev/shm/fluid-1/fluid-ts/default/hbase');
  assert.equal(nodeHostPath('/a/../../etc', '/r', '/dev/shm/x'), '/r/a/etc');
  assert.equal(nodeHostPath('/home/f/cache', undefined, '/dev/shm/x'), '/home/f/cache');
});

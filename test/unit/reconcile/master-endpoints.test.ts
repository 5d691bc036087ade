// masterEndpoints: a runtime's master addresses from the API (pod hostIP + allocated port), the one
// rule the controllers and the CLI share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { masterEndpoints, type PlacedPod } from '../../../src/core/reconcile/master-endpoints.js';

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

// Seed 001 with `master.replicas: 3` under the control plane and the real kubectl: three masters
// elect a leader over the embedded Raft journal (READY MASTERS 3), `fluid master-info hbase`
// names it, and `kubectl delete pod <leader> --grace-period=0 --force` fails over while a reader
// keeps reading through the FUSE mount without an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { waitFor } from '../../support/proc.js';
import { serveHbase, pods, startControlPlane, table } from '../orchestration/harness.js';

function leaderOf(out: string): string | undefined {
  return /^Current leader master: (hbase-master-\d):\d+$/m.exec(out)?.[1];
}

test('seed 001 HA: master.replicas 3 -> READY MASTERS 3 -> master-info names the leader -> force-deleting the leader pod fails over while a reader reads through the mount', { timeout: 600_000 }, async (t) => {
  const { files: want, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: hbase
spec:
  mounts:
    - mountPoint: ${nginx.url}hbase/
      name: hbase
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: hbase
spec:
  replicas: 1
  master:
    replicas: 3
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 1Gi
        high: "0.95"
        low: "0.7"
`);
  await waitFor('READY MASTERS 3 and fuse ready', () => {
    const wide = table(cp.kubectl(['get', 'alluxioruntime', 'hbase', '-o', 'wide']).stdout)[0];
    return wide?.['READY MASTERS'] === '3' && wide['FUSE PHASE'] === 'Ready' && wide['WORKER PHASE'] === 'Ready';
  }, 240_000, 1000);
  const wide = table(cp.k(['get', 'alluxioruntime', 'hbase', '-o', 'wide']))[0];
  assert.equal(wide?.['DESIRED MASTERS'], '3');

  const info = await waitFor('master-info names a leader', () => {
    const r = cp.fluid(['master-info', 'hbase']);
    return r.code === 0 ? r.stdout : undefined;
  }, 60_000, 500);
  const leader = leaderOf(info);
  assert.ok(leader, info);
  assert.match(info, /^All masters: \[hbase-master-0:\d+, hbase-master-1:\d+, hbase-master-2:\d+\]$/m);

  const mp = cp.fluid(['mount-path', 'hbase']);
  assert.equal(mp.code, 0, mp.stderr);
  const mnt = mp.stdout.trim();
  const files = [...want.keys()];
  const errors: string[] = [];
  let reads = 0;
  let stop = false;
  const reader = (async () => {
    while (!stop) {
      for (const rel of files) {
        try {
          const got = createHash('sha256').update(readFileSync(join(mnt, 'hbase', rel))).digest('hex');
          if (got !== want.get(rel)) errors.push(`${rel}: sha256 mismatch`);
          reads++;
        } catch (err) {
          errors.push(`${rel}: ${err instanceof Error ? err.message : String(err)}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  })();
  await waitFor('reads through the mount', () => reads >= files.length, 120_000);
  cp.k(['delete', 'pod', leader, '--grace-period=0', '--force']);
  const next = await waitFor('a new leader', () => {
    const r = cp.fluid(['master-info', 'hbase']);
    const l = r.code === 0 ? leaderOf(r.stdout) : undefined;
    return l && l !== leader ? l : undefined;
  }, 60_000, 200);
  const readsAtFailover = reads;
  await waitFor('reads continue after failover', () => reads > readsAtFailover + files.length, 120_000);
  stop = true;
  await reader;
  assert.deepEqual(errors, [], 'the reader never sees an error');
  assert.notEqual(next, leader);
  // The deleted pod comes back and rejoins: three ready masters again.
  await waitFor('READY MASTERS back to 3', () => table(cp.kubectl(['get', 'alluxioruntime', 'hbase', '-o', 'wide']).stdout)[0]?.['READY MASTERS'] === '3', 120_000, 1000);
  assert.ok(pods(cp).some((p) => p.name === leader));
  t.diagnostic(`leader ${leader} -> ${next}; ${reads} reads of ${files.length} files through ${relative(cp.home, mnt)}`);

  // Teardown through the API, so the FUSE mount is gone before the temp dirs are removed.
  cp.k(['delete', 'alluxioruntime', 'hbase', '--wait=false']);
  await waitFor('runtime deleted', () => cp.kubectl(['get', 'alluxioruntime', 'hbase']).code !== 0, 120_000, 500);
  cp.k(['delete', 'dataset', 'hbase']);
});

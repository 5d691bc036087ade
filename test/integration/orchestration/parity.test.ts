// Behaviour users see in Fluid (issue 13), with the real kubectl against `fluid up`:
// - Bound means usable: the moment the Dataset is Bound, PV default-<name> and PVC <name> exist
//   and are Bound (no polling after Bound);
// - Events: kubectl describe alluxioruntime|dataset lists the lifecycle (Created workloads, Bound);
// - kubectl scale alluxioruntime --replicas=N through the scale subresource; after a scale-in the
//   workers and the dataset's cache capacity follow;
// - a changed Dataset mountPoint is applied to the running runtime;
// - pvc://<claim>/<path> mounts a claim's directory as the UFS;
// - fluid down frees the home's MEM tiers (/dev/shm/fluid-<id>).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shmRootOf } from '../../../src/apps/controlplane/home.js';
import { sha256, sha256File, waitFor } from '../../support/proc.js';
import { serveHbase, pods, startControlPlane, table, waitObj } from './harness.js';

type Obj = { status?: Record<string, unknown>; metadata?: Record<string, unknown> };
const capacityOf = (o: Obj): string | undefined => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cacheCapacity'];

test('Fluid parity: Bound means PV/PVC Bound, Events in describe, kubectl scale, pvc:// UFS, fluid down frees /dev/shm', { timeout: 400_000 }, async (t) => {
  const { www, files: want, nginx } = await serveHbase(t);
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
  replicas: 2
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 512Mi
`);
  // Bound means usable: read the PV and PVC right after seeing Bound, without waiting.
  await waitObj(cp, ['dataset', 'hbase'], (o) => o.status?.['phase'] === 'Bound', 'dataset Bound', 180_000);
  const pv = table(cp.k(['get', 'pv', 'default-hbase']))[0];
  const pvc = table(cp.k(['get', 'pvc', 'hbase']))[0];
  assert.deepEqual([pv?.['STATUS'], pv?.['CLAIM']], ['Bound', 'default/hbase']);
  assert.deepEqual([pvc?.['STATUS'], pvc?.['VOLUME']], ['Bound', 'default-hbase']);

  // Events, as kubectl describe lists them (field selectors on involvedObject).
  const rtEvents = cp.k(['describe', 'alluxioruntime', 'hbase']).split('Events:')[1] ?? '';
  assert.match(rtEvents, /Normal\s+Created\s+.*AlluxioRuntime\s+created master StatefulSet hbase-master/);
  assert.match(rtEvents, /Normal\s+Created\s+.*AlluxioRuntime\s+created workers StatefulSet hbase-worker/);
  assert.match(rtEvents, /Normal\s+Created\s+.*AlluxioRuntime\s+created fuse DaemonSet hbase-fuse/);
  const dsEvents = cp.k(['describe', 'dataset', 'hbase']).split('Events:')[1] ?? '';
  assert.match(dsEvents, /Normal\s+Bound\s+.*AlluxioRuntime\s+bound to AlluxioRuntime hbase/);

  const root = cp.fluid(['mount-path', 'hbase']).stdout.trim();

  // kubectl scale through /scale: 2 -> 1 worker; the cache capacity follows.
  await waitObj(cp, ['dataset', 'hbase'], (o) => capacityOf(o) === '1.00GiB', 'cache capacity of 2 workers');
  const scale = JSON.parse(cp.k(['get', '--raw', '/apis/data.fluid.io/v1alpha1/namespaces/default/alluxioruntimes/hbase/scale'])) as { kind: string; spec: { replicas: number }; status: { replicas: number; selector: string } };
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.spec.replicas, 2);
  assert.equal(scale.status.replicas, 2);
  assert.match(scale.status.selector, /role=hbase-worker/);
  assert.equal(cp.k(['scale', 'alluxioruntime', 'hbase', '--replicas=1']).trim(), 'alluxioruntime.data.fluid.io/hbase scaled');
  await waitFor('one worker left', () => {
    const names = pods(cp).map((p) => p.name);
    return names.includes('hbase-worker-0') && !names.includes('hbase-worker-1') ? names : undefined;
  }, 120_000, 500);
  const scaled = await waitObj(cp, ['alluxioruntime', 'hbase'], (o) => o.status?.['currentWorkerNumberScheduled'] === 1 && o.status['desiredWorkerNumberScheduled'] === 1, 'runtime status shows 1 worker');
  assert.equal(scaled.status?.['workerPhase'], 'Ready');
  await waitObj(cp, ['dataset', 'hbase'], (o) => capacityOf(o) === '512.00MiB', 'cache capacity after scale-in');
  const bad = cp.kubectl(['scale', 'alluxioruntime', 'hbase', '--replicas=-1']);
  assert.notEqual(bad.code, 0);

  // The MEM tier lives under the home's /dev/shm root while the runtime runs.
  assert.equal(await sha256File(join(root, 'hbase', 'CHANGES.md')), want.get('CHANGES.md'));
  assert.ok(existsSync(shmRootOf(cp.home)), `${shmRootOf(cp.home)} holds the MEM tier`);

  // A changed mountPoint is applied (Fluid's UpdateOnUFSChange): the mount now shows the other
  // directory's files, the master re-lists, and the dataset's status.mounts follows the spec.
  mkdirSync(join(www, 'other', 'deep'), { recursive: true });
  writeFileSync(join(www, 'other', 'new.txt'), 'new tree\n');
  writeFileSync(join(www, 'other', 'deep', 'x.bin'), 'x'.repeat(1000));
  cp.k(['patch', 'dataset', 'hbase', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/mounts/0/mountPoint', value: `${nginx.url}other/` }])]);
  const listed = await waitFor('the mount lists the new mountPoint\'s files', () => {
    try {
      const names = readdirSync(join(root, 'hbase')).sort();
      return names.join(',') === 'deep,new.txt' ? names : undefined;
    } catch {
      return undefined;
    }
  }, 180_000, 500);
  assert.deepEqual(listed, ['deep', 'new.txt']);
  assert.equal(await sha256File(join(root, 'hbase', 'deep', 'x.bin')), sha256('x'.repeat(1000)));
  const updated = await waitObj(cp, ['dataset', 'hbase'], (o) => o.status?.['ufsTotal'] === '1009.00B', 'ufsTotal of the new mountPoint', 60_000);
  assert.equal((updated.status?.['mounts'] as { mountPoint: string }[])[0]?.mountPoint, `${nginx.url}other/`);
  assert.equal(updated.status?.['phase'], 'Bound');

  // pvc://<claim>/<path>: the claim's directory (HOME/volumes/<ns>/<claim>/) is the UFS.
  cp.k(['create', '-f', '-'], `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: local-data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`);
  const claimDir = join(cp.home, 'volumes', 'default', 'local-data', 'sub');
  mkdirSync(join(claimDir, 'dir'), { recursive: true });
  writeFileSync(join(claimDir, 'dir', 'a.txt'), 'from the claim\n');
  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: claimed
spec:
  mounts:
    - mountPoint: pvc://local-data/sub
      name: claimed
      path: /
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: claimed
spec:
  replicas: 1
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 64Mi
`);
  await waitObj(cp, ['dataset', 'claimed'], (o) => o.status?.['phase'] === 'Bound', 'pvc:// dataset Bound', 180_000);
  const claimedRoot = cp.fluid(['mount-path', 'claimed']).stdout.trim();
  assert.equal(await sha256File(join(claimedRoot, 'dir', 'a.txt')), sha256('from the claim\n'));
  assert.equal(table(cp.k(['get', 'dataset', 'claimed']))[0]?.['UFS TOTAL SIZE'], '15.00B');
  const badClaim = cp.kubectl(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: badclaim
spec:
  mounts:
    - mountPoint: pvc://Bad_Claim/x
`);
  assert.notEqual(badClaim.code, 0);
  assert.match(badClaim.stderr, /spec\.mounts\[0\]\.mountPoint.*pvc:\/\/<claim name>/);

  // fluid down stops every engine process and frees the home's MEM tiers.
  cp.down();
  assert.ok(!existsSync(shmRootOf(cp.home)), `${shmRootOf(cp.home)} is gone after fluid down`);
});

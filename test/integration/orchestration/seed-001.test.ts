// Seed 001 end to end with the real kubectl: a WebUFS Dataset served by a local nginx with
// hbase-shaped files, AlluxioRuntime replicas 2; every status transition asserted; `cp -r`
// through the PV's fluid_path matches by sha256 and fills the cache to 100.0%; deleting the
// runtime tears everything down and the dataset goes back to NotBound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { formatBytes } from '../../../src/api/quantity.js';
import { isMountpoint, tempDir, waitFor } from '../../support/proc.js';
import { condition, serveHbase, pods, shaTree, startControlPlane, table, totalSize, waitObj } from './harness.js';

test('seed 001: Dataset NotBound -> AlluxioRuntime pods run -> Bound with UFS size -> PV/PVC -> 0.0% -> cp -r (sha256) -> 100.0% -> delete runtime', { timeout: 600_000 }, async (t) => {
  const { www, files: want, nginx } = await serveHbase(t);
  const ufsBytes = totalSize(join(www, 'hbase'));
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
`);
  await waitObj(cp, ['dataset', 'hbase'], (o) => o.status?.['phase'] === 'NotBound', 'dataset NotBound');
  const notBound = table(cp.k(['get', 'dataset', 'hbase']))[0];
  assert.equal(notBound?.['PHASE'], 'NotBound');
  assert.equal(notBound?.['UFS TOTAL SIZE'], '');

  cp.k(['create', '-f', '-'], `
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
        quota: 2Gi
        high: "0.95"
        low: "0.7"
`);
  await waitFor('master, 2 workers and a fuse pod Running and Ready', () => {
    const ps = pods(cp);
    const names = ps.filter((p) => p.ready && p.phase === 'Running').map((p) => p.name).sort();
    return names.length === 4 && names.includes('hbase-master-0') && names.includes('hbase-worker-0') && names.includes('hbase-worker-1') && names.some((n) => /^hbase-fuse-[a-z0-9]{5}$/.test(n));
  }, 180_000, 500);
  const podTable = table(cp.k(['get', 'pods']));
  for (const row of podTable) {
    assert.equal(row['READY'], '1/1', `${row['NAME'] ?? ''} READY`);
    assert.equal(row['STATUS'], 'Running');
  }

  const bound = await waitObj(cp, ['dataset', 'hbase'], (o) => o.status?.['phase'] === 'Bound' && o.status['ufsTotal'] === formatBytes(ufsBytes), 'dataset Bound with ufsTotal');
  assert.deepEqual((bound.status?.['runtimes'] as { name: string; type: string }[]).map((r) => `${r.name}/${r.type}`), ['hbase/alluxio']);
  const dsRow = table(cp.k(['get', 'dataset', 'hbase']))[0];
  assert.equal(dsRow?.['UFS TOTAL SIZE'], formatBytes(ufsBytes));
  assert.equal(dsRow?.['CACHE CAPACITY'], '4.00GiB');
  assert.equal(dsRow?.['CACHED PERCENTAGE'], '0.0%');
  assert.equal(dsRow?.['CACHED'], '0.00B');

  await waitObj(cp, ['alluxioruntime', 'hbase'], (o) => o.status?.['workerPhase'] === 'Ready' && o.status['fusePhase'] === 'Ready' && o.status['masterPhase'] === 'Ready', 'runtime phases Ready');
  const wide = table(cp.k(['get', 'alluxioruntime', 'hbase', '-o', 'wide']))[0];
  assert.equal(wide?.['READY MASTERS'], '1');
  assert.equal(wide?.['DESIRED MASTERS'], '1');
  assert.equal(wide?.['MASTER PHASE'], 'Ready');
  assert.equal(wide?.['READY WORKERS'], '2');
  assert.equal(wide?.['DESIRED WORKERS'], '2');
  assert.equal(wide?.['WORKER PHASE'], 'Ready');
  assert.equal(wide?.['READY FUSES'], '1');
  assert.equal(wide?.['DESIRED FUSES'], '1');
  assert.equal(wide?.['FUSE PHASE'], 'Ready');

  const mp = cp.fluid(['mount-path', 'hbase']);
  assert.equal(mp.code, 0, mp.stderr);
  const fluidPath = mp.stdout.trim();
  assert.equal(fluidPath, join(cp.home, 'runtime-mnt/alluxio/default/hbase/alluxio-fuse'));
  const pv = cp.json<{ spec: { csi: { driver: string; volumeAttributes: Record<string, string> }; storageClassName: string; accessModes: string[] }; status: { phase: string } }>(['get', 'pv', 'default-hbase']);
  assert.equal(pv?.spec.csi.driver, 'fuse.csi.fluid.io');
  assert.equal(pv?.spec.csi.volumeAttributes['fluid_path'], fluidPath);
  assert.equal(pv?.spec.storageClassName, 'fluid');
  assert.equal(pv?.status.phase, 'Bound');
  const pvc = cp.json<{ spec: { volumeName: string }; status: { phase: string } }>(['get', 'pvc', 'hbase']);
  assert.equal(pvc?.spec.volumeName, 'default-hbase');
  assert.equal(pvc?.status.phase, 'Bound');
  const node = cp.json<{ items: { metadata: { labels: Record<string, string> } }[] }>(['get', 'nodes']);
  assert.equal(node?.items[0]?.metadata.labels['fluid.io/f-default-hbase'], 'true');
  assert.equal(node?.items[0]?.metadata.labels['fluid.io/s-default-hbase'], 'true');
  assert.ok(isMountpoint(fluidPath), 'fluid_path is a FUSE mount');

  // kubectl logs shows the component's log (HOME/pods/<ns>/<pod>/<container>.log).
  assert.match(cp.k(['logs', 'hbase-master-0']), /master serving/);

  // Seed 001's nginx app pod: an application pod (no image pulled, a holder process), its PVC
  // mounted at /data through the CSI plugin in its private mount namespace.
  cp.k(['create', '-f', '-'], `
apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: nginx
      volumeMounts:
        - mountPath: /data
          name: hbase-vol
  volumes:
    - name: hbase-vol
      persistentVolumeClaim:
        claimName: hbase
`);
  const app = await waitFor('the nginx pod Running', () => pods(cp).find((p) => p.name === 'nginx' && p.phase === 'Running' && p.ready), 90_000, 500);
  assert.equal(app.restarts, 0);
  const notRun = condition(cp.json(['get', 'pod', 'nginx']), 'fluid.io/EntrypointNotRun');
  assert.equal(notRun?.status, 'True');
  assert.match(notRun?.message ?? '', /image nginx was not pulled and its entrypoint was not run/);
  const target = join(cp.home, 'pods', 'default', 'nginx', 'csi', 'default-hbase', 'mount');
  assert.ok(isMountpoint(target), 'the CSI target path is published');
  const pid = readFileSync(join(cp.home, 'pods', 'default', 'nginx', 'nginx.pid'), 'utf8').trim();
  const inPod = spawnSync('nsenter', ['--target', pid, '--mount', '--', 'sh', '-c', 'cd /data/hbase && find . -type f -exec sha256sum {} +'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(inPod.status, 0, inPod.stderr);
  const seen = new Map(inPod.stdout.trim().split('\n').map((l) => { const [h = '', f = ''] = l.split(/\s+/); return [f.replace(/^\.\//, ''), h] as [string, string]; }));
  assert.deepEqual([...seen].sort(), [...want].sort());
  assert.equal(existsSync('/data/hbase'), false, 'the mount lives only in the pod\'s mount namespace');
  cp.k(['delete', 'pod', 'nginx']);
  await waitFor('the nginx pod gone', () => !pods(cp).some((p) => p.name === 'nginx'), 60_000, 500);
  assert.equal(isMountpoint(target), false, 'unpublished');

  const dest = join(tempDir(t, 'fluid-dest-'), 'hbase');
  const cpr = spawnSync('cp', ['-r', join(fluidPath, 'hbase'), dest], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(cpr.status, 0, cpr.stderr);
  assert.deepEqual([...(await shaTree(dest))].sort(), [...want].sort());

  await waitObj(cp, ['dataset', 'hbase'], (o) => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cachedPercentage'] === '100.0%', 'CACHED PERCENTAGE 100.0%', 60_000);
  const full = table(cp.k(['get', 'dataset', 'hbase']))[0];
  assert.equal(full?.['CACHED'], formatBytes(ufsBytes));
  assert.equal(full?.['CACHED PERCENTAGE'], '100.0%');
  assert.equal(condition(cp.json(['get', 'alluxioruntime', 'hbase']), 'Ready')?.status, 'True');

  // Teardown: the runtime goes, and with it pods, mount, PV/PVC; the dataset is NotBound again.
  cp.k(['delete', 'alluxioruntime', 'hbase', '--wait=false']);
  await waitFor('runtime deleted', () => cp.kubectl(['get', 'alluxioruntime', 'hbase']).code !== 0, 120_000, 500);
  assert.deepEqual(pods(cp), []);
  assert.equal(cp.kubectl(['get', 'pv', 'default-hbase']).code, 1);
  assert.equal(cp.kubectl(['get', 'pvc', 'hbase']).code, 1);
  assert.ok(!isMountpoint(fluidPath), 'fuse mount is gone');
  await waitObj(cp, ['dataset', 'hbase'], (o) => o.status?.['phase'] === 'NotBound', 'dataset NotBound after runtime deletion');
  cp.k(['delete', 'dataset', 'hbase']);
});

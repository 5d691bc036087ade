// Bad input and faults, one control plane: a runtime without dataset; an unreachable UFS (a
// condition naming the cause, no crash loop); a missing Secret (a condition naming it, its value
// never shown anywhere once it exists); killing each component pod (recovers, data readable);
// `fluid down` + `fluid up` (runtime back, data readable from the cache without refetching).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerClient } from '../../../src/adapters/engine-client/index.js';
import { freePort, sha256File, waitFor } from '../../support/proc.js';
import { condition, serveHbase, pods, runtimeCredential, runtimeYaml, startControlPlane, waitObj, type ControlPlane } from './harness.js';

const SECRET_VALUE = 's3cr3t-VALUE-4711-never-shown';

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

async function readAll(cp: ControlPlane, dataset: string, want: Map<string, string>): Promise<void> {
  const root = cp.fluid(['mount-path', dataset]).stdout.trim();
  for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, rel);
}

test('faults: no dataset, JuiceFS, unreachable UFS, missing Secret, killed pods, down/up', { timeout: 600_000 }, async (t) => {
  const { files: want, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);

  await t.test('GIVEN a runtime without a Dataset THEN it is NotReady with a condition naming the missing dataset, and runs nothing', async () => {
    cp.k(['create', '-f', '-'], runtimeYaml('lonely'));
    const rt = await waitObj(cp, ['alluxioruntime', 'lonely'], (o) => condition(o, 'Ready')?.reason === 'DatasetNotFound', 'DatasetNotFound condition');
    assert.match(condition(rt, 'Ready')?.message ?? '', /no Dataset named "lonely"/);
    assert.equal(rt.status?.['masterPhase'], 'NotReady');
    assert.ok(!pods(cp).some((p) => p.name.startsWith('lonely-')));
    cp.k(['delete', 'alluxioruntime', 'lonely']);
  });

  await t.test('GIVEN a JuiceFSRuntime over a non-juicefs:// mount point THEN it stays NotReady with a condition naming the field', async () => {
    cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: jfs
spec:
  mounts:
    - mountPoint: ${nginx.url}
      name: jfs
---
apiVersion: data.fluid.io/v1alpha1
kind: JuiceFSRuntime
metadata:
  name: jfs
spec:
  replicas: 1
`);
    const rt = await waitObj(cp, ['juicefsruntime', 'jfs'], (o) => condition(o, 'Ready')?.reason === 'InvalidDataset', 'JuiceFS InvalidDataset');
    assert.match(condition(rt, 'Ready')?.message ?? '', /spec\.mounts\[0\]\.mountPoint: expected "juicefs:\/\/\/<subdir>"/);
    assert.equal(rt.status?.['workerPhase'], 'NotReady');
    assert.ok(!pods(cp).some((p) => p.name.startsWith('jfs-')));
    cp.k(['delete', 'juicefsruntime', 'jfs']);
    cp.k(['delete', 'dataset', 'jfs']);
  });

  await t.test('GIVEN an unreachable UFS THEN the runtime reports it in a condition and nothing crash-loops', async () => {
    const dead = await freePort();
    cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: dead
spec:
  mounts:
    - mountPoint: http://127.0.0.1:${dead}/gone/
      name: gone
${runtimeYaml('dead')}`);
    const rt = await waitObj(cp, ['alluxioruntime', 'dead'], (o) => condition(o, 'Ready')?.reason === 'UFSUnreachable', 'Ready=False/UFSUnreachable', 120_000);
    const msg = condition(rt, 'Ready')?.message ?? '';
    assert.match(msg, new RegExp(`127\\.0\\.0\\.1:${dead}`), msg);
    assert.equal(cp.json<{ status: { phase: string } }>(['get', 'dataset', 'dead'])?.status.phase, 'NotBound');
    await new Promise((r) => setTimeout(r, 5_000));
    const master = pods(cp).find((p) => p.name === 'dead-master-0');
    assert.equal(master?.phase, 'Running', 'the master process stays up (not ready: it cannot list the UFS)');
    assert.ok((master?.restarts ?? 99) <= 1, `master restarts ${master?.restarts ?? -1}`);
    assert.ok(!pods(cp).some((p) => p.name.startsWith('dead-worker')), 'no workers before the UFS is prepared');
    cp.k(['delete', 'alluxioruntime', 'dead']);
    await waitFor('dead runtime gone', () => cp.kubectl(['get', 'alluxioruntime', 'dead']).code !== 0, 120_000, 500);
    cp.k(['delete', 'dataset', 'dead']);
  });

  await t.test('GIVEN encryptOptions naming a missing Secret THEN a condition names it; once created the value reaches only 0600 files', async () => {
    cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: sec
spec:
  mounts:
    - mountPoint: ${nginx.url}
      name: www
      encryptOptions:
        - name: fs.http.token
          valueFrom:
            secretKeyRef:
              name: sec-creds
              key: token
${runtimeYaml('sec', 1, 'SSD')}`);
    const rt = await waitObj(cp, ['alluxioruntime', 'sec'], (o) => condition(o, 'Ready')?.reason === 'SecretNotFound', 'SecretNotFound');
    assert.match(condition(rt, 'Ready')?.message ?? '', /Secret "sec-creds"/);
    cp.k(['create', 'secret', 'generic', 'sec-creds', `--from-literal=token=${SECRET_VALUE}`]);
    await waitObj(cp, ['dataset', 'sec'], (o) => o.status?.['phase'] === 'Bound', 'sec Bound', 180_000);
    const root = cp.fluid(['mount-path', 'sec']).stdout.trim();
    for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'www', 'hbase', rel)), sha, rel);
    const secretFiles = allFiles(join(cp.home, 'pods')).filter((f) => f.endsWith('/secrets/sec-creds/token'));
    assert.ok(secretFiles.length >= 3, `secret files for master, worker and fuse: ${secretFiles.join(', ')}`);
    for (const f of secretFiles) {
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
      assert.equal(readFileSync(f, 'utf8'), SECRET_VALUE);
    }
    const shown: string[] = [];
    for (const what of [['dataset', 'sec'], ['alluxioruntime', 'sec'], ['pods'], ['configmap', 'sec-engine-config']]) {
      shown.push(cp.k(['describe', ...what]), cp.k(['get', ...what, '-o', 'yaml']));
    }
    for (const f of allFiles(cp.home).filter((p) => p.endsWith('.log') || p.endsWith('.json'))) shown.push(readFileSync(f, 'utf8'));
    shown.push(spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout);
    for (const text of shown) assert.ok(!text.includes(SECRET_VALUE), 'the secret value leaked');
  });

  await t.test('GIVEN a running runtime WHEN each component pod is killed THEN it recovers and the data stays readable', async () => {
    const root = cp.fluid(['mount-path', 'sec']).stdout.trim();
    const check = async (): Promise<void> => {
      for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'www', 'hbase', rel)), sha, rel);
    };
    // SIGKILL the worker process: the node agent restarts it (restartCount goes up).
    const pid = Number(readFileSync(join(cp.home, 'pods/default/sec-worker-0/worker.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitFor('worker restarted and Ready', () => pods(cp).some((p) => p.name === 'sec-worker-0' && p.ready && p.restarts >= 1), 120_000, 500);
    await check();
    // kubectl delete pod: the StatefulSet controller recreates it.
    for (const name of ['sec-master-0', 'sec-worker-0']) {
      const before = cp.json<{ metadata: { uid: string } }>(['get', 'pod', name])?.metadata.uid;
      cp.k(['delete', 'pod', name, '--grace-period=0', '--force']);
      await waitFor(`${name} recreated and Ready`, () => {
        const p = cp.json<{ metadata: { uid: string }; status?: { conditions?: { type: string; status: string }[] } }>(['get', 'pod', name]);
        return p && p.metadata.uid !== before && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      }, 120_000, 500);
      await waitObj(cp, ['alluxioruntime', 'sec'], (o) => o.status?.['workerPhase'] === 'Ready' && o.status['masterPhase'] === 'Ready', 'runtime Ready again');
      await check();
    }
    // The fuse pod: a new one (new name) mounts again.
    const fuse = pods(cp).find((p) => p.name.startsWith('sec-fuse-'));
    assert.ok(fuse);
    cp.k(['delete', 'pod', fuse.name]);
    await waitFor('a new fuse pod Ready', () => pods(cp).some((p) => p.name.startsWith('sec-fuse-') && p.name !== fuse.name && p.ready), 120_000, 500);
    await waitFor('mount serves again', async () => { await check(); return true; }, 60_000, 1_000);
  });

  await t.test('GIVEN fluid down then fluid up THEN the runtime comes back, reads come from the cache and restart counts are kept', async () => {
    // A restart the control plane's restart must not forget (it read 0 before).
    const pid = Number(readFileSync(join(cp.home, 'pods/default/sec-worker-0/worker.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor('worker restarted and Ready', () => pods(cp).find((p) => p.name === 'sec-worker-0' && p.ready && p.restarts >= 1), 120_000, 500);
    cp.down();
    assert.ok(!pods(cp).length || true);
    const leftovers = spawnSync('sh', ['-c', `grep -F ' ${cp.home}/' /proc/self/mounts`], { encoding: 'utf8' }).stdout;
    assert.equal(leftovers, '', 'nothing mounted after down');
    cp.up();
    await waitObj(cp, ['alluxioruntime', 'sec'], (o) => o.status?.['workerPhase'] === 'Ready' && o.status['fusePhase'] === 'Ready', 'runtime back', 180_000);
    await waitFor('pods Ready after up', () => ['sec-master-0', 'sec-worker-0'].every((n) => pods(cp).some((p) => p.name === n && p.ready)) && pods(cp).some((p) => p.name.startsWith('sec-fuse-') && p.ready), 120_000, 500);
    const after = pods(cp).find((p) => p.name === 'sec-worker-0');
    assert.ok((after?.restarts ?? -1) >= restarted.restarts, `restartCount after up ${after?.restarts ?? -1} >= ${restarted.restarts} before`);
    const root = cp.fluid(['mount-path', 'sec']).stdout.trim();
    await waitFor('mount serves after up', async () => {
      for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'www', 'hbase', rel)), sha, rel);
      return true;
    }, 60_000, 1_000);
    const addr = pods(cp).find((p) => p.name === 'sec-worker-0')?.annotations['fluid.io/engine-address'];
    assert.ok(addr);
    const stats = await new WorkerClient(addr, runtimeCredential(cp, 'sec')).stats();
    assert.equal(stats.ufsBytesRead, 0, 'the restarted worker served everything from its persisted (SSD) cache');
    assert.ok(stats.hits > 0);
  });
  void readAll;
});

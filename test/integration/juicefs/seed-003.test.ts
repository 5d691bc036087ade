// Seed 003 end to end with the real JuiceFS client under `fluid up` and the real kubectl: a Redis
// metadata engine (redis-server on loopback, with a password) and a local-directory bucket. Files
// are written into the JuiceFS file system beforehand through a direct `juicefs mount`; then seed
// 003's Dataset (juicefs:///demo, options.bucket) and JuiceFSRuntime (1 worker, MEM tier, quota
// 40960 Mi) with a Secret holding the metaurl bring the Dataset to Bound, the FUSE mount serves the
// files (sha256), a re-read is served by the block cache on the tier path (the clients' metrics),
// and deleting the runtime unmounts everything and stops every juicefs process while the data and
// metadata stay. Then each fault gets a condition naming its cause, with no secret value shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File, tempDir, waitFor } from '../../support/proc.js';
import { formatJuiceFS, juicefsBin, juicefsProcs, metric, mountJuiceFS, mountsUnder, startRedis } from '../../support/juicefs.js';
import { juicefsRuntimeYaml } from './manifests.js';
import { condition, hbaseFixture, pods, startControlPlane, table, waitObj, type ControlPlane } from '../orchestration/harness.js';

function secretYaml(name: string, data: Record<string, string>): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n');
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\nstringData:\n${lines}\n`;
}

function seedYaml(name: string, fsName: string, secret: string, bucket: string | undefined, secretKey = 'metaurl'): string {
  return `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: ${name}
spec:
  mounts:
    - name: ${fsName}
      mountPoint: "juicefs:///demo"
${bucket !== undefined ? `      options:\n        bucket: "${bucket}"\n        storage: "file"\n` : ''}      encryptOptions:
        - name: metaurl
          valueFrom:
            secretKeyRef:
              name: ${secret}
              key: ${secretKey}
${juicefsRuntimeYaml(name)}`;
}

async function deleteRuntime(cp: ControlPlane, name: string): Promise<void> {
  cp.k(['delete', 'juicefsruntime', name, '--wait=false']);
  await waitFor(`juicefsruntime ${name} gone`, () => cp.kubectl(['get', 'juicefsruntime', name]).code !== 0, 120_000, 300);
  cp.k(['delete', 'dataset', name, '--ignore-not-found']);
}

test('seed 003: JuiceFSRuntime with the real juicefs client, Redis metadata and a local bucket', { timeout: 600_000 }, async (t) => {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const redis = await startRedis(t, password);
  const work = tempDir(t, 'fluid-jfs-');
  chmodSync(work, 0o755);
  const bucket = join(work, 'bucket') + '/';
  const metaurl = redis.url(1, password);

  // ---- the JuiceFS file system "test", holding /demo/hbase/..., written beforehand
  const src = join(work, 'src');
  const want = await hbaseFixture(src);
  formatJuiceFS(redis.url(1), 'test', bucket, { META_PASSWORD: password });
  const direct = await mountJuiceFS(t, redis.url(1), join(work, 'direct'), join(work, 'direct-cache'), [], { META_PASSWORD: password });
  cpSync(join(src, 'hbase'), join(direct.mountPath, 'demo', 'hbase'), { recursive: true });
  await direct.stop();

  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], secretYaml('jfs-secret', { metaurl }));
  cp.k(['create', '-f', '-'], seedYaml('jfsdemo', 'test', 'jfs-secret', bucket));
  await waitObj(cp, ['dataset', 'jfsdemo'], (o) => o.status?.['phase'] === 'Bound', 'jfsdemo Bound', 180_000);

  const root = cp.fluid(['mount-path', 'jfsdemo']).stdout.trim();
  assert.match(root, /runtime-mnt\/juicefs\/default\/jfsdemo\/juicefs-fuse$/);
  assert.ok(mountsUnder(cp.home).includes(root), 'the FUSE mount is up at fluid_path');
  for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, rel);
  assert.equal(spawnSync('touch', [join(root, 'new-file')]).status !== 0, true, 'the FUSE mount is read-only (Dataset default ReadOnlyMany)');

  // The pod is the process serving the mount: juicefs runs in the foreground under it.
  const procs = juicefsProcs(cp.home);
  assert.ok(procs.some((l) => l.includes(root)) && procs.some((l) => l.includes('/worker/jfsdemo-worker-0')), procs.join('\n'));
  assert.ok(!procs.some((l) => l.includes(password)), 'no password on any juicefs command line');

  // ---- a re-read is served by the block cache on the tier path (per the client's metrics)
  const fuseAddr = (pods(cp).find((p) => p.name.startsWith('jfsdemo-fuse-'))?.annotations ?? {})['fluid.io/engine-address'];
  assert.ok(fuseAddr, 'fuse pod engine address');
  const before = await (await fetch(`http://${fuseAddr}/metrics`)).text();
  for (const rel of want.keys()) spawnSync('dd', [`if=${join(root, 'hbase', rel)}`, 'iflag=nocache', 'count=0', 'status=none']);
  for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, `warm ${rel}`);
  const after = await (await fetch(`http://${fuseAddr}/metrics`)).text();
  assert.ok(metric(after, 'juicefs_blockcache_hits') > metric(before, 'juicefs_blockcache_hits'), `block cache hits rose: ${metric(before, 'juicefs_blockcache_hits')} -> ${metric(after, 'juicefs_blockcache_hits')}`);
  const shm = readdirSync('/dev/shm').filter((d) => d.startsWith('fluid-'));
  assert.ok(shm.some((d) => existsSync(join('/dev/shm', d, 'default', 'jfsdemo', 'juicefs-0'))), 'cache blocks live in the MEM tier dir');

  // ---- status from JuiceFS itself
  const total = [...want.keys()].reduce((a, rel) => a + Number(spawnSync('stat', ['-c', '%s', join(src, 'hbase', rel)], { encoding: 'utf8' }).stdout), 0);
  const ds = await waitObj(cp, ['dataset', 'jfsdemo'], (o) => {
    const cs = (o.status?.['cacheStates'] ?? {}) as Record<string, string>;
    return o.status?.['fileNum'] === String(want.size) && (cs['cacheHitRatio'] ?? '0.0%') !== '0.0%';
  }, 'dataset fileNum and cacheHitRatio from JuiceFS', 60_000);
  const ufsTotal = String(ds.status?.['ufsTotal']);
  assert.ok(ufsTotal.endsWith('MiB') && Math.abs(Number.parseFloat(ufsTotal) - total / 2 ** 20) < 0.01, `ufsTotal ${ufsTotal} vs ${total} bytes`);
  const cs = ds.status?.['cacheStates'] as Record<string, string>;
  assert.equal(cs['cacheCapacity'], '40.00GiB');
  assert.notEqual(cs['cached'], '0.00B');
  const rows = table(cp.k(['get', 'dataset', 'jfsdemo']));
  assert.equal(rows[0]?.['UFS TOTAL SIZE'], ufsTotal);
  const wide = table(cp.k(['get', 'juicefsruntime', 'jfsdemo', '-o', 'wide']));
  assert.deepEqual(Object.keys(wide[0] ?? {}), ['NAME', 'READY WORKERS', 'DESIRED WORKERS', 'WORKER PHASE', 'READY FUSES', 'DESIRED FUSES', 'FUSE PHASE', 'AGE']);
  assert.equal(wide[0]?.['WORKER PHASE'], 'Ready');
  assert.equal(wide[0]?.['FUSE PHASE'], 'Ready');
  assert.equal(wide[0]?.['READY WORKERS'], '1');

  // ---- no secret value anywhere the user can see
  const shown = [cp.k(['get', 'juicefsruntime', 'jfsdemo', '-o', 'yaml']), cp.k(['get', 'dataset', 'jfsdemo', '-o', 'yaml']), cp.k(['get', 'events', '-o', 'yaml']),
    cp.k(['get', 'configmap', 'jfsdemo-engine-config', '-o', 'yaml']), cp.k(['get', 'pods', '-o', 'yaml']),
    ...pods(cp).map((p) => cp.k(['logs', p.name]))].join('\n');
  assert.ok(!shown.includes(password) && !shown.includes(`127.0.0.1:${redis.port}`), 'neither the metaurl nor its password is shown');

  // ---- SIGKILL of the FUSE pod's process: its juicefs goes with its mount, the pod restarts and serves again
  const fusePid = spawnSync('pgrep', ['-f', `engine juicefs --config ${cp.home}/pods/default/jfsdemo-fuse-`], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  assert.ok(fusePid, 'the FUSE pod process');
  process.kill(Number(fusePid), 'SIGKILL');
  await waitFor('the FUSE pod restarted and ready', () => pods(cp).some((p) => p.name.startsWith('jfsdemo-fuse-') && p.ready && p.restarts >= 1), 120_000, 300);
  await waitFor('one juicefs mount per pod again', () => new Set(juicefsProcs(cp.home).map((l) => l.split(' ')[1])).size === 2 && juicefsProcs(cp.home).length === 4, 60_000, 300);
  for (const [rel, sha] of want) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, `after SIGKILL ${rel}`);

  // ---- deleting the runtime: everything unmounted, no juicefs process, data and metadata stay
  await deleteRuntime(cp, 'jfsdemo');
  await waitFor('no juicefs process of this home', () => juicefsProcs(cp.home).length === 0, 60_000, 300);
  assert.deepEqual(mountsUnder(cp.home), []);
  const again = await mountJuiceFS(t, redis.url(1), join(work, 'direct'), join(work, 'direct-cache-2'), [], { META_PASSWORD: password });
  for (const [rel, sha] of want) assert.equal(await sha256File(join(again.mountPath, 'demo', 'hbase', rel)), sha, `after delete ${rel}`);
  await again.stop();

  // ---- faults: each one a condition naming the cause; no crash loop; no secret value shown
  const faults: { name: string; secret: Record<string, string>; key?: string; bucket?: string; reason: string; re: RegExp }[] = [
    { name: 'nokey', secret: { other: 'x' }, bucket, reason: 'SecretNotFound', re: /Secret "nokey-secret" has no key "metaurl"/ },
    { name: 'unreach', secret: { metaurl: `redis://:${password}@127.0.0.1:1/1` }, bucket, reason: 'MetadataUnreachable', re: /cannot reach the metadata engine named by Secret "unreach-secret" key "metaurl": ECONNREFUSED/ },
    { name: 'wrongpw', secret: { metaurl: redis.url(1, `${password}-wrong`) }, bucket, reason: 'MetadataAuthFailed', re: /WRONGPASS/ },
    { name: 'nobucket', secret: { metaurl: redis.url(2, password) }, reason: 'BucketRequired', re: /"fresh" does not exist yet and dataset spec\.mounts\[0\]\.options\.bucket is not set/ },
  ];
  for (const f of faults) {
    cp.k(['create', '-f', '-'], secretYaml(`${f.name}-secret`, f.secret));
    cp.k(['create', '-f', '-'], seedYaml(f.name, f.name === 'nobucket' ? 'fresh' : 'test', `${f.name}-secret`, f.bucket));
  }
  for (const f of faults) {
    const rt = await waitObj(cp, ['juicefsruntime', f.name], (o) => condition(o, 'Ready')?.reason === f.reason, `${f.name}: Ready=False/${f.reason}`, 120_000);
    assert.match(condition(rt, 'Ready')?.message ?? '', f.re, f.name);
    assert.equal(cp.json<{ status: { phase: string } }>(['get', 'dataset', f.name])?.status.phase, 'NotBound');
  }
  const shownFaults = [cp.k(['get', 'juicefsruntime', '-o', 'yaml']), cp.k(['get', 'events', '-o', 'yaml']), cp.k(['get', 'pods', '-o', 'yaml'])].join('\n');
  assert.ok(!shownFaults.includes(password), 'no password in conditions, events or pod status');
  for (const p of pods(cp)) assert.ok(p.restarts === 0, `${p.name} restarted ${p.restarts} times (no crash loop: it stays up, not ready)`);
  for (const f of faults) await deleteRuntime(cp, f.name);
  await waitFor('no juicefs process left', () => juicefsProcs(cp.home).length === 0, 60_000, 300);
  const status = spawnSync(juicefsBin(), ['status', redis.url(2)], { encoding: 'utf8', env: { ...process.env, META_PASSWORD: password } });
  assert.match(status.stderr, /database is not formatted/, 'the BucketRequired runtime formatted nothing');
});

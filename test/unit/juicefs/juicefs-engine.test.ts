import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JuiceFSConfig } from '../../../src/api/juicefs-config.js';
import { juicefsEngine, juicefsSubdir } from '../../../src/core/reconcile/juicefs-engine.js';
import type { DatasetView, PlanInput } from '../../../src/core/reconcile/runtime-engine.js';

const layout = { hostRoot: '/home/f', shmRoot: '/dev/shm/fluid-abc', host: '127.0.0.1' };
const metaurl = { name: 'metaurl', valueFrom: { secretKeyRef: { name: 'jfs-secret', key: 'metaurl' } } };
const seed003: DatasetView = { name: 'jfsdemo', namespace: 'default', mounts: [{ name: 'test', mountPoint: 'juicefs:///demo', options: { bucket: '/var/tmp/b' }, encryptOptions: [metaurl] }] };
const seedRuntime = { replicas: 1, tieredstore: { levels: [{ mediumtype: 'MEM', path: '/dev/shm', quota: 40960 }] } };

function input(spec: Record<string, unknown>, dataset: DatasetView = seed003): PlanInput {
  return { kind: 'JuiceFSRuntime', namespace: 'default', name: dataset.name, spec, dataset, ports: { master: [], worker: [21001, 21002], fuse: 21009 }, layout };
}

function cfg(r: ReturnType<typeof juicefsEngine.plan>, key: string): JuiceFSConfig {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return JSON.parse(r.plan.configs[key] ?? '') as JuiceFSConfig;
}

test('GIVEN seed 003 WHEN planned THEN one worker and the FUSE run juicefs with cache-dir on the MEM tier and cache-size 40960 MiB', () => {
  const r = juicefsEngine.plan(input(seedRuntime));
  assert.ok(r.ok);
  assert.equal(r.plan.master, null);
  assert.equal(r.plan.worker?.replicas, 1);
  assert.equal(r.plan.mountType, 'JuiceFS');
  assert.equal(r.plan.mountPath, '/home/f/runtime-mnt/juicefs/default/jfsdemo/juicefs-fuse');
  assert.equal(r.plan.cacheCapacityBytes, 40960 * 2 ** 20);
  assert.equal(r.plan.podStats, true);
  assert.deepEqual(r.plan.secretRefs, [{ secret: 'jfs-secret', key: 'metaurl', field: 'spec.mounts[0].encryptOptions[0]' }]);
  const w = cfg(r, 'jfsdemo-worker-0.json');
  assert.deepEqual(w.stateDirs, ['/dev/shm/fluid-abc/default/jfsdemo']);
  assert.equal(w.role, 'worker');
  assert.equal(w.name, 'test');
  assert.equal(w.subdir, '/demo');
  assert.equal(w.port, 21001);
  assert.equal(w.bucket, '/var/tmp/b');
  assert.equal(w.metaUrlFile, '/var/run/fluid/secrets/jfs-secret/metaurl');
  assert.deepEqual(w.cacheDirs, ['/dev/shm/fluid-abc/default/jfsdemo/juicefs-0']);
  assert.deepEqual(w.mountOptions, { 'cache-size': '40960' });
  const f = cfg(r, 'fuse.json');
  assert.equal(f.mountPath, r.plan.mountPath);
  assert.equal(f.readOnly, true, 'no accessModes: Fluid defaults to ReadOnlyMany');
  assert.equal(f.mountOptions['attr-cache'], '7200');
  assert.equal(f.mountOptions['entry-cache'], '7200');
  assert.deepEqual(r.plan.fuse.container.args, ['engine', 'juicefs', '--config', '/etc/fluid/fuse.json', '--host', '$(HOST_IP)']);
  assert.deepEqual(r.plan.worker?.container.env?.find((e) => e.name === 'HOST_IP')?.valueFrom, { fieldRef: { fieldPath: 'status.hostIP' } }, 'the listener binds the node address');
  assert.ok(!JSON.stringify(r.plan).includes('redis://'), 'no secret value in the plan');
});

test('GIVEN a ReadWriteMany dataset and SSD paths separated by ":" WHEN planned THEN the FUSE is writable and caches on both paths', () => {
  const ds: DatasetView = { ...seed003, accessModes: ['ReadWriteMany'] };
  const r = juicefsEngine.plan(input({ replicas: 2, tieredstore: { levels: [{ mediumtype: 'SSD', path: '/mnt/c1:/mnt/c2', quota: '2Gi', low: '0.1' }] } }, ds));
  const f = cfg(r, 'fuse.json');
  assert.equal(f.readOnly, false);
  assert.equal(f.mountOptions['attr-cache'], undefined);
  assert.deepEqual(f.cacheDirs, ['/mnt/c1/fluid-ts/default/jfsdemo/juicefs-0', '/mnt/c2/fluid-ts/default/jfsdemo/juicefs-1'], 'one path per entry: the node agent maps each to its host path');
  assert.equal(f.mountOptions['cache-size'], '2048');
  assert.equal(f.mountOptions['free-space-ratio'], '0.1');
  assert.equal(cfg(r, 'jfsdemo-worker-1.json').port, 21002);
});

test('GIVEN bad datasets WHEN planned THEN the reason and message name the field', () => {
  const cases: [DatasetView, string, RegExp][] = [
    [{ ...seed003, mounts: [] }, 'InvalidDataset', /no spec\.mounts/],
    [{ ...seed003, mounts: [{ name: 'test', mountPoint: 'https://x/y', encryptOptions: [metaurl] }] }, 'InvalidDataset', /mountPoint: expected "juicefs:\/\/\/<subdir>"/],
    [{ ...seed003, mounts: [{ name: 'Bad_Name', mountPoint: 'juicefs:///demo', encryptOptions: [metaurl] }] }, 'InvalidDataset', /mounts\[0\]\.name/],
    [{ ...seed003, mounts: [{ name: 'test', mountPoint: 'juicefs:///demo' }] }, 'MetaUrlRequired', /"metaurl"/],
  ];
  for (const [ds, reason, re] of cases) {
    const r = juicefsEngine.plan(input(seedRuntime, ds));
    assert.ok(!r.ok);
    assert.equal(r.reason, reason);
    assert.match(r.message, re);
  }
  const q = juicefsEngine.plan(input({ tieredstore: { levels: [{ mediumtype: 'MEM', path: '/dev/shm', quota: 'lots' }] } }));
  assert.ok(!q.ok && q.reason === 'InvalidSpec' && /levels\[0\]\.quota/.test(q.message));
});

test('juicefsSubdir maps juicefs:// mount points onto file-system directories', () => {
  assert.equal(juicefsSubdir('juicefs:///demo'), '/demo');
  assert.equal(juicefsSubdir('juicefs:///a/b/'), '/a/b');
  assert.equal(juicefsSubdir('juicefs:///'), '/');
  assert.equal(juicefsSubdir('juicefs://'), '/');
  assert.equal(juicefsSubdir('juicefs://host/x'), undefined);
  assert.equal(juicefsSubdir('s3://b/x'), undefined);
});

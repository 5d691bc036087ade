import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thinEngine, THIN_CLIENT_KEY, THIN_CONFIG_KEY } from '../../../src/core/thin/thin-engine.js';
import type { PlanInput } from '../../../src/core/reconcile/runtime-engine.js';

const profile = {
  metadata: { name: 'minio' },
  spec: { fileSystemType: 'fuse.s3fs', fuse: { image: 'repo/minio-s3fs', imageTag: 'demo', command: ['sh', '/opt/parse.sh'], env: [{ name: 'A', value: '1' }] } },
};

function input(spec: Record<string, unknown>, objects: Record<string, unknown> = { 'thinruntimeprofiles/minio': profile }): PlanInput {
  return {
    kind: 'ThinRuntime', namespace: 'default', name: 'minio-demo', spec,
    dataset: {
      name: 'minio-demo', namespace: 'default',
      mounts: [{
        mountPoint: 'minio://my-first-bucket', name: 'minio', options: { 'minio-url': 'http://minio:9000' },
        encryptOptions: [{ name: 'minio-access-key', valueFrom: { secretKeyRef: { name: 'minio-secret', key: 'minio-access-key' } } }],
      }],
    },
    ports: { master: [], worker: [], fuse: 0 },
    layout: { hostRoot: '/home/fluid', shmRoot: '/dev/shm/x', host: '127.0.0.1' },
    clusterObjects: objects,
  };
}

test('GIVEN a ThinRuntime and its profile WHEN planned THEN a fuse-only DaemonSet runs the profile image and command with the config and secret volumes Fluid uses', () => {
  assert.deepEqual(thinEngine.clusterRefs?.({ profileName: 'minio' }), [{ group: 'data.fluid.io', plural: 'thinruntimeprofiles', name: 'minio' }]);
  const r = thinEngine.plan(input({ profileName: 'minio', fuse: { args: ['--debug'], options: { ro: '' } }, replicas: 2 }));
  assert.ok(r.ok);
  const { plan } = r;
  assert.equal(plan.master, null);
  assert.equal(plan.worker, null);
  assert.equal(plan.mountPath, '/home/fluid/runtime-mnt/thin/default/minio-demo/thin-fuse');
  assert.equal(plan.mountType, 'fuse.s3fs');
  const c = plan.fuse.container;
  assert.equal(c.image, 'repo/minio-s3fs:demo');
  assert.deepEqual(c.command, ['sh', '/opt/parse.sh']);
  assert.deepEqual(c.args, ['--debug']);
  assert.deepEqual(c.env, [{ name: 'A', value: '1' }, { name: 'FLUID_CONFIG_PATH', value: '/etc/fluid/config/config.json' }]);
  assert.deepEqual(c.volumeMounts?.map((v) => v.mountPath), ['/etc/fluid/config', '/etc/fluid/secrets/minio-secret']);
  const cfg = JSON.parse(plan.configs[THIN_CONFIG_KEY] ?? '{}') as { mounts: { options: Record<string, string> }[]; runtimeOptions: Record<string, string> };
  assert.equal(cfg.mounts[0]?.options['minio-access-key'], '/etc/fluid/secrets/minio-secret/minio-access-key');
  assert.deepEqual(cfg.runtimeOptions, { ro: '' });
  assert.equal((JSON.parse(plan.configs[THIN_CLIENT_KEY] ?? '{}') as { fileSystemType: string }).fileSystemType, 'fuse.s3fs');
  assert.deepEqual(plan.secretRefs, [{ secret: 'minio-secret', key: 'minio-access-key', field: 'spec.mounts[0].encryptOptions[0]' }]);
});

test('GIVEN the profile does not exist WHEN planned THEN ProfileNotFound names it', () => {
  const r = thinEngine.plan(input({ profileName: 'minio' }, { 'thinruntimeprofiles/minio': null }));
  assert.ok(!r.ok);
  assert.equal(r.reason, 'ProfileNotFound');
  assert.match(r.message, /ThinRuntimeProfile "minio"/);
});

test('GIVEN no profileName WHEN planned THEN the error names spec.profileName', () => {
  const r = thinEngine.plan(input({}));
  assert.ok(!r.ok);
  assert.match(r.message, /spec\.profileName/);
});

test('GIVEN a tieredstore WHEN planned THEN it is accepted and reported as not honoured', () => {
  const r = thinEngine.plan(input({ profileName: 'minio', tieredstore: { levels: [] } }));
  assert.ok(r.ok);
  assert.ok(r.plan.unsupported.some((u) => u.startsWith('spec.tieredstore')));
});

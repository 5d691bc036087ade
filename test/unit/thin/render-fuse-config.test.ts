import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFuseConfig } from '../../../src/core/thin/render-fuse-config.js';

const seedDataset = {
  mounts: [{
    mountPoint: 'minio://my-first-bucket',
    name: 'minio',
    options: { 'minio-url': 'http://minio:9000' },
    encryptOptions: [
      { name: 'minio-access-key', valueFrom: { secretKeyRef: { name: 'minio-secret', key: 'minio-access-key' } } },
      { name: 'minio-access-secret', valueFrom: { secretKeyRef: { name: 'minio-secret', key: 'minio-access-secret' } } },
    ],
  }],
};

test('GIVEN seed 004 dataset WHEN rendered THEN the JSON is Fluid\'s single-line format with secret paths, not values', () => {
  const r = renderFuseConfig({ dataset: seedDataset, secretsDir: '/etc/fluid/secrets', targetPath: '/runtime-mnt/thin/default/minio-demo/thin-fuse' });
  assert.deepEqual(r.errors, []);
  assert.equal(r.json, JSON.stringify({
    mounts: [{
      mountPoint: 'minio://my-first-bucket',
      options: {
        'minio-url': 'http://minio:9000',
        'minio-access-key': '/etc/fluid/secrets/minio-secret/minio-access-key',
        'minio-access-secret': '/etc/fluid/secrets/minio-secret/minio-access-secret',
      },
      name: 'minio',
    }],
    targetPath: '/runtime-mnt/thin/default/minio-demo/thin-fuse',
    accessModes: ['ReadOnlyMany'],
  }));
  assert.ok(!r.json.includes('\n'));
  assert.deepEqual(r.secretFiles.map((s) => s.path), [
    '/etc/fluid/secrets/minio-secret/minio-access-key',
    '/etc/fluid/secrets/minio-secret/minio-access-secret',
  ]);
});

test('GIVEN runtime fuse.options and dataset accessModes WHEN rendered THEN they appear as runtimeOptions and accessModes', () => {
  const r = renderFuseConfig({
    dataset: { mounts: [{ mountPoint: 'http://h/d/', path: '/d' }], accessModes: ['ReadWriteMany'] },
    runtimeOptions: { 'vfs-cache-max-size': '1G' },
    secretsDir: '/s/', targetPath: '/t',
  });
  assert.deepEqual(r.config, {
    mounts: [{ mountPoint: 'http://h/d/', path: '/d' }],
    targetPath: '/t', runtimeOptions: { 'vfs-cache-max-size': '1G' }, accessModes: ['ReadWriteMany'],
  });
});

test('GIVEN the same key in options and encryptOptions WHEN rendered THEN the error names the key and spec.mounts[i] and no JSON is produced', () => {
  const dataset = {
    mounts: [
      { mountPoint: 'minio://a' },
      { mountPoint: 'minio://b', options: { token: 'x' }, encryptOptions: [{ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
    ],
  };
  const r = renderFuseConfig({ dataset, secretsDir: '/s', targetPath: '/t' });
  assert.equal(r.json, '');
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]?.path, 'spec.mounts[1].encryptOptions[0].name');
  assert.match(r.errors[0]?.message ?? '', /"token" of spec\.mounts\[1\] is set in both options and encryptOptions/);
});

test('GIVEN sharedOptions and sharedEncryptOptions WHEN rendered THEN every mount gets both, the mount\'s own options winning', () => {
  const r = renderFuseConfig({
    dataset: {
      sharedOptions: { region: 'a', endpoint: 'e' },
      sharedEncryptOptions: [{ name: 'ak', valueFrom: { secretKeyRef: { name: 'sec', key: 'ak' } } }],
      mounts: [{ mountPoint: 's3://x', options: { region: 'b' } }],
    },
    secretsDir: '/etc/fluid/secrets', targetPath: '/t',
  });
  assert.deepEqual(r.config?.mounts[0]?.options, { region: 'b', endpoint: 'e', ak: '/etc/fluid/secrets/sec/ak' });
});

test('GIVEN a secret key that would escape the secrets dir WHEN rendered THEN it is rejected with its field path', () => {
  const r = renderFuseConfig({
    dataset: { mounts: [{ mountPoint: 's3://x', encryptOptions: [{ name: 'ak', valueFrom: { secretKeyRef: { name: 'sec', key: '../../etc/passwd' } } }] }] },
    secretsDir: '/etc/fluid/secrets', targetPath: '/t',
  });
  assert.equal(r.errors[0]?.path, 'spec.mounts[0].encryptOptions[0].valueFrom.secretKeyRef.key');
});

test('GIVEN a relative targetPath WHEN rendered THEN it is an error', () => {
  const r = renderFuseConfig({ dataset: { mounts: [] }, secretsDir: '/s', targetPath: 'rel' });
  assert.equal(r.errors[0]?.path, 'targetPath');
});

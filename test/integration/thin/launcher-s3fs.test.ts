// Seed 004's MinIO walkthrough at the launcher level, with s3fs in place of goofys against a
// real S3 server (s3rver) on loopback: the parse script reads the config JSON and secret files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isMountpoint, sha256, sha256File, tempDir } from '../../support/proc.js';
import { startS3, writeRandomFile } from '../../support/servers.js';
import { s3fsScript, startLauncher } from './launcher-harness.js';

test('GIVEN a MinIO-style dataset with encryptOptions and an s3fs profile WHEN the client runs THEN testfile reads "fluid-minio-test", a bigger object matches by sha256, the passwd file is 0600 and stop unmounts', async (t) => {
  const s3 = await startS3(t, ['my-first-bucket']);
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  t.after(() => client.destroy());
  await client.send(new PutObjectCommand({ Bucket: 'my-first-bucket', Key: 'testfile', Body: 'fluid-minio-test\n' }));
  const dir = tempDir(t, 'fluid-thin-s3-');
  writeRandomFile(join(dir, 'big.bin'), 3 * 1024 * 1024 + 7, 11);
  const big = readFileSync(join(dir, 'big.bin'));
  await client.send(new PutObjectCommand({ Bucket: 'my-first-bucket', Key: 'data/big.bin', Body: big }));

  const h = await startLauncher(t, {
    dataset: {
      mounts: [{
        mountPoint: 'minio://my-first-bucket', name: 'minio',
        options: { 'minio-url': s3.endpoint },
        encryptOptions: [
          { name: 'minio-access-key', valueFrom: { secretKeyRef: { name: 'minio-secret', key: 'minio-access-key' } } },
          { name: 'minio-access-secret', valueFrom: { secretKeyRef: { name: 'minio-secret', key: 'minio-access-secret' } } },
        ],
      }],
    },
    secrets: { 'minio-secret': { 'minio-access-key': s3.accessKeyId, 'minio-access-secret': s3.secretAccessKey } },
    profile: { fileSystemType: 'fuse.s3fs', fuse: { command: ['sh', s3fsScript] } },
    runtime: { profileName: 'minio', fuse: { options: { stat_cache_expire: '10' } } },
  });
  const ready = await h.waitStatus('s3fs mounted', (s) => s.ready);
  assert.equal(ready.fsType, 'fuse.s3fs');
  assert.equal(readFileSync(join(h.targetPath, 'testfile'), 'utf8'), 'fluid-minio-test\n');
  assert.equal(await sha256File(join(h.targetPath, 'data', 'big.bin')), sha256(big));
  assert.equal(statSync(join(h.filesDir, 'work', 'passwd-s3fs')).mode & 0o777, 0o600);
  assert.equal(statSync(join(h.filesDir, 'secrets', 'minio-secret', 'minio-access-secret')).mode & 0o777, 0o600);
  // The config carries the secret file paths, never the values.
  const cfg = readFileSync(join(h.filesDir, 'config', 'config.json'), 'utf8');
  assert.match(cfg, /"minio-access-key":"\/etc\/fluid\/secrets\/minio-secret\/minio-access-key"/);
  await h.launcher.stop();
  assert.equal(isMountpoint(h.targetPath), false);
});

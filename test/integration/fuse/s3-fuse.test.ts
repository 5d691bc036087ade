// The cache engine over the S3 protocol end to end: a real S3 server (s3rver) on loopback, a
// master, two workers and a FUSE mount as processes. The dataset is declared as in seed 000
// (oss:// with fs.oss.endpoint, credentials from encryptOptions files); bytes read through the
// mount equal the objects (sha256), a warm re-read fetches nothing from the S3 server, and wrong
// credentials give a clear error at mount and at master start that never shows the secret.
import { sharedToken } from '../../support/engine-token.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { healthz, startMaster } from '../../support/engine-cluster.js';
import { dropPageCache, freePort, isMountpoint, runFluid, sha256, sha256File, tempDir, unmountQuietly, waitFor } from '../../support/proc.js';
import { workerClient } from '../../support/engine-cluster.js';
import { startS3, writeSecretFiles, type S3Server } from '../../support/servers.js';
import { metricValue, startCluster } from './engine-cluster.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const BUCKET = 'fluid-demo';
const OBJECTS: Record<string, number> = {
  'big.bin': 5 * MiB + 123,
  'small.txt': 29 * KiB,
  'dir/nested.bin': 300 * KiB + 7,
};

function bytes(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

async function putObjects(s3: S3Server, prefix: string): Promise<Map<string, Buffer>> {
  const client = new S3Client({
    endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const out = new Map<string, Buffer>();
  let seed = 7;
  for (const [key, size] of Object.entries(OBJECTS)) {
    const body = bytes(size, seed++);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${key}`, Body: body }));
    out.set(key, body);
  }
  client.destroy();
  return out;
}

async function workerUfsBytes(address: string): Promise<number> {
  return (await workerClient(address).stats()).ufsBytesRead;
}

test('GIVEN an oss:// dataset on a real S3 server, declared with seed 000 option names, served through master, two workers and a FUSE mount', { timeout: 300_000 }, async (t) => {
  const s3 = await startS3(t, [BUCKET]);
  const objects = await putObjects(s3, 'oss/');
  const secrets = tempDir(t, 'fluid-s3-secrets-');
  const c = await startCluster(t, {
    mountName: 'demo', mountPoint: `oss://${BUCKET}/oss/`, blockSize: 1 * MiB, quota: 64 * MiB,
    mountOptions: { 'fs.oss.endpoint': `127.0.0.1:${s3.port}` },
    encryptOptionFiles: writeSecretFiles(secrets, { 'fs.oss.accessKeyId': s3.accessKeyId, 'fs.oss.accessKeySecret': s3.secretAccessKey }),
  });
  const root = join(c.mountPath, 'demo');

  await t.test('WHEN listing THEN the objects appear as files and directories with their sizes', () => {
    assert.deepEqual(readdirSync(c.mountPath), ['demo']);
    assert.deepEqual(readdirSync(root).sort(), ['big.bin', 'dir', 'small.txt']);
    assert.ok(statSync(join(root, 'dir')).isDirectory());
    for (const [key, size] of Object.entries(OBJECTS)) assert.equal(statSync(join(root, key)).size, size, key);
  });

  await t.test('WHEN every file is read THEN its sha256 equals the object', async () => {
    for (const [key, body] of objects) assert.equal(await sha256File(join(root, key)), sha256(body), key);
  });

  await t.test('WHEN reading at random offsets THEN the bytes equal the object', () => {
    const body = objects.get('big.bin') as Buffer;
    const fd = openSync(join(root, 'big.bin'), 'r');
    try {
      let x = 12345;
      for (let i = 0; i < 40; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        const off = x % body.length;
        const len = Math.min(1 + (x % (300 * KiB)), body.length - off);
        const buf = Buffer.alloc(len);
        assert.equal(readSync(fd, buf, 0, len, off), len);
        assert.ok(buf.equals(body.subarray(off, off + len)), `pread ${len} at ${off}`);
      }
    } finally {
      closeSync(fd);
    }
  });

  await t.test('WHEN the data is read again after dropping the page cache THEN nothing is fetched from the S3 server', async () => {
    const before = await Promise.all(c.workers.map((w) => workerUfsBytes(w.address)));
    const fuseBefore = metricValue(await c.metrics(c.fuseHealth), 'fluid_fuse_read_bytes_total', 'source="ufs"');
    dropPageCache();
    for (const [key, body] of objects) assert.equal(await sha256File(join(root, key)), sha256(body), key);
    assert.deepEqual(await Promise.all(c.workers.map((w) => workerUfsBytes(w.address))), before);
    assert.equal(metricValue(await c.metrics(c.fuseHealth), 'fluid_fuse_read_bytes_total', 'source="ufs"'), fuseBefore);
  });

  await t.test('WHEN the processes have run THEN no output shows the secret', () => {
    for (const p of [c.master, c.fuse, ...c.workers.map((w) => w.proc)]) assert.ok(!p.output().includes(s3.secretAccessKey), p.output());
  });
});

test('GIVEN wrong credentials for an oss:// dataset WHEN the FUSE client or a master starts THEN a clear access-denied error, no hang, and no secret in it', { timeout: 120_000 }, async (t) => {
  const s3 = await startS3(t, [BUCKET]);
  await putObjects(s3, 'oss/');
  const dir = tempDir(t, 'fluid-s3-bad-');
  // s3rver checks the access key id (InvalidAccessKeyId, 403) but not SigV4 signatures, so both
  // are wrong here; the secret must still never be printed.
  const wrong = 'wrong-secret-0123456789';
  const mount = {
    name: 'demo', mountPoint: `oss://${BUCKET}/oss/`,
    options: { 'fs.oss.endpoint': `127.0.0.1:${s3.port}` },
    encryptOptionFiles: writeSecretFiles(dir, { 'fs.oss.accessKeyId': 'NOTAKEY', 'fs.oss.accessKeySecret': wrong }),
  };

  const mountPath = join(dir, 'mnt');
  t.after(() => unmountQuietly(mountPath)); // only matters if the client wrongly mounted
  const cfg = join(dir, 'fuse.json');
  writeFileSync(cfg, JSON.stringify({ id: 'f', port: await freePort(), masters: ['127.0.0.1:1'], mountPath, tokenFile: sharedToken().file, mounts: [mount] }));
  const r = runFluid(['engine', 'fuse', '--config', cfg], { timeoutMs: 60_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /mount "demo": under storage is not usable: .*(denied|credentials|signature|InvalidAccessKeyId)/i);
  assert.ok(!(r.stdout + r.stderr).includes(wrong), 'the secret is not printed');
  assert.ok(!isMountpoint(mountPath), 'nothing stays mounted');

  const m = await startMaster(t, { mounts: [mount], waitOk: false });
  const h = await waitFor('503 naming the denied access', async () => {
    const x = await healthz(m.address);
    return x.status === 503 && /mount demo .*(denied|credentials|signature|InvalidAccessKeyId)/i.test(x.body) ? x : null;
  }, 30_000);
  assert.ok(!h.body.includes(wrong));
  assert.ok(!m.proc.output().includes(wrong));
  assert.equal(m.proc.child.exitCode, null, 'the master keeps running and reports the reason');
});

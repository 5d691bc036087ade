import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { EngineMount } from '../../../src/api/engine-config.js';
import { createUfs } from '../../../src/adapters/ufs/create-ufs.js';
import {
  UfsAccessDeniedError, UfsConfigError, UfsNotFoundError, UfsUnavailableError,
} from '../../../src/core/ufs/ufs-errors.js';
import { freePort, tempDir } from '../../support/proc.js';
import { startS3, writeSecretFiles, type S3Server } from '../../support/servers.js';
import { fixtureFiles, runConformance, type ConformanceStorage } from './support/conformance.js';

const BUCKET = 'fluid-ufs';

function adminClient(s3: S3Server): S3Client {
  return new S3Client({
    endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

async function putFixture(client: S3Client, prefix: string): Promise<void> {
  for (const [rel, body] of fixtureFiles()) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${rel}`, Body: body }));
  }
}

function bucketStorage(client: S3Client, prefix: string): ConformanceStorage {
  return {
    async rewrite(rel, content) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${rel}`, Body: content }));
    },
  };
}

test('S3-protocol connectors against s3rver', async (t) => {
  const s3 = await startS3(t, [BUCKET]);
  const admin = adminClient(s3);
  t.after(() => admin.destroy());
  const secrets = tempDir(t, 'fluid-ufs-secrets-');
  const host = `127.0.0.1:${s3.port}`;

  await t.test('s3:// with aws.* options', async (t2) => {
    await putFixture(admin, 's3/data/');
    const ufs = createUfs({
      name: 'm', mountPoint: `s3://${BUCKET}/s3/data`, encryptOptionFiles: {},
      options: { 'aws.endpoint': s3.endpoint, 'aws.region': 'us-east-1', 'aws.accessKeyId': s3.accessKeyId, 'aws.secretAccessKey': s3.secretAccessKey },
    });
    t2.after(() => ufs.close());
    await runConformance(t2, ufs, bucketStorage(admin, 's3/data/'));
  });

  await t.test('oss:// with seed 000 option names and encryptOptions files', async (t2) => {
    await putFixture(admin, 'oss/');
    const mount: EngineMount = {
      name: 'demo', mountPoint: `oss://${BUCKET}/oss/`,
      options: { 'fs.oss.endpoint': host }, // no scheme: http:// is assumed
      encryptOptionFiles: writeSecretFiles(secrets, { 'fs.oss.accessKeyId': s3.accessKeyId, 'fs.oss.accessKeySecret': s3.secretAccessKey }),
    };
    const ufs = createUfs(mount);
    t2.after(() => ufs.close());
    await runConformance(t2, ufs, bucketStorage(admin, 'oss/'));
  });

  await t.test('s3:// with seed 000 fs.oss.* option names (endpoint without scheme, encryptOptions keys)', async (t2) => {
    await putFixture(admin, 's3oss/');
    const ufs = createUfs({
      name: 'm', mountPoint: `s3://${BUCKET}/s3oss/`, options: { 'fs.oss.endpoint': host },
      encryptOptionFiles: writeSecretFiles(secrets, { 'fs.oss.accessKeyId': s3.accessKeyId, 'fs.oss.accessKeySecret': s3.secretAccessKey }),
    });
    t2.after(() => ufs.close());
    await runConformance(t2, ufs, bucketStorage(admin, 's3oss/'));
  });

  await t.test('s3a:// with fs.s3a.* options, secret key from an encryptOptions file', async (t2) => {
    await putFixture(admin, 's3a/x/');
    const ufs = createUfs({
      name: 'm', mountPoint: `s3a://${BUCKET}/s3a/x`,
      options: { 'fs.s3a.endpoint': s3.endpoint, 'fs.s3a.path.style.access': 'true', 'fs.s3a.access.key': s3.accessKeyId },
      encryptOptionFiles: writeSecretFiles(secrets, { 'fs.s3a.secret.key': s3.secretAccessKey }),
    });
    t2.after(() => ufs.close());
    await runConformance(t2, ufs, bucketStorage(admin, 's3a/x/'));
  });

  await t.test('GIVEN more than one page of keys WHEN listed THEN every key and prefix is returned', async () => {
    const client = admin;
    const endpoint = s3.endpoint;
    const names: string[] = [];
    for (let i = 0; i < 1003; i += 1) names.push(`f${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 16) {
      await Promise.all(names.slice(i, i + 16).map((n) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `many/${n}`, Body: 'x' }))));
    }
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'many/zsub/inner', Body: 'y' }));
    const ufs = createUfs({ name: 'm', mountPoint: `s3://${BUCKET}/many/`, encryptOptionFiles: {}, options: { endpoint, 'access-key': 'S3RVER', 'secret-key': 'S3RVER' } });
    t.after(() => ufs.close());
    const entries = await ufs.list('/');
    assert.equal(entries.length, 1004);
    assert.equal(entries[1002]?.name, 'f1002');
    assert.deepEqual(entries[1003], { name: 'zsub', kind: 'directory', size: 0, mtimeMs: 0, fingerprint: 'dir' });
  });

  await t.test('GIVEN a wrong secret key WHEN the store answers SignatureDoesNotMatch THEN UfsAccessDeniedError names the options, not the secret', async (t2) => {
    // s3rver checks the access key id but not SigV4 signatures, so a wrong secret is accepted
    // there. This stand-in answers every request the way S3 does for a bad signature.
    const srv = createServer((req, res) => {
      req.resume();
      const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'r1' });
      res.end(req.method === 'HEAD' ? undefined : xml);
    });
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    t2.after(() => { srv.closeAllConnections(); srv.close(); });
    const wrong = 'Wr0ngSecretValue';
    const ufs = createUfs({
      name: 'demo', mountPoint: `oss://${BUCKET}/oss/`, options: { 'fs.oss.endpoint': `127.0.0.1:${port}` },
      encryptOptionFiles: writeSecretFiles(tempDir(t2, 'fluid-ufs-wrong-'), { 'fs.oss.accessKeyId': s3.accessKeyId, 'fs.oss.accessKeySecret': wrong }),
    });
    t2.after(() => ufs.close());
    for (const op of [() => ufs.list('/'), () => ufs.read('/a.bin', 0, 10), () => ufs.stat('/a.bin')]) {
      await assert.rejects(op(), (e: unknown) => {
        assert.ok(e instanceof UfsAccessDeniedError, String(e));
        assert.match(e.message, /fs\.oss\.accessKeyId\/fs\.oss\.accessKeySecret/);
        assert.ok(!e.message.includes(wrong));
        return true;
      });
    }
    await assert.rejects(ufs.list('/'), /SignatureDoesNotMatch/);
  });

  await t.test('GIVEN a store that answers 503 or never answers WHEN reading THEN UfsUnavailableError, never a hang', async (t2) => {
    let requests = 0;
    const srv = createServer((req, res) => {
      requests++;
      req.resume();
      if (req.url?.includes('hang')) return; // accept and stay silent
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>');
    });
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    t2.after(() => { srv.closeAllConnections(); srv.close(); });
    const ufs = createUfs(
      { name: 'm', mountPoint: `s3://${BUCKET}/`, encryptOptionFiles: {}, options: { endpoint: `http://127.0.0.1:${port}`, 'access-key': 'a', 'secret-key': 'b' } },
      { idleTimeoutMs: 300, attempts: 2 },
    );
    t2.after(() => ufs.close());
    await assert.rejects(ufs.read('/busy.bin', 0, 10), (e: unknown) => e instanceof UfsUnavailableError && /SlowDown|503/.test(e.message));
    assert.equal(requests, 2, 'one retry');
    await assert.rejects(ufs.read('/hang.bin', 0, 10), UfsUnavailableError);
  });

  await t.test('GIVEN no credentials in the mount WHEN reading THEN requests are unsigned (public bucket access)', async (t2) => {
    const srv = createServer((req, res) => {
      req.resume();
      const anonymous = req.headers.authorization === undefined;
      res.writeHead(anonymous ? 206 : 403, { 'content-length': 2, 'content-range': 'bytes 0-1/2', etag: '"pub"' });
      res.end(req.method === 'HEAD' ? undefined : 'ok');
    });
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    t2.after(() => { srv.closeAllConnections(); srv.close(); });
    const ufs = createUfs({ name: 'm', mountPoint: 's3://public/', encryptOptionFiles: {}, options: { endpoint: `127.0.0.1:${port}` } });
    t2.after(() => ufs.close());
    assert.equal(Buffer.from(await ufs.read('/x', 0, 2)).toString(), 'ok');
  });

  await t.test('GIVEN an unknown access key id WHEN reading THEN UfsAccessDeniedError', async () => {
    const ufs = createUfs({ name: 'm', mountPoint: `s3://${BUCKET}/s3/data`, encryptOptionFiles: {}, options: { endpoint: s3.endpoint, 'minio-access-key': 'NOBODY', 'minio-access-secret': 'whatever-secret' } });
    t.after(() => ufs.close());
    await assert.rejects(ufs.read('/a.bin', 0, 1), (e: unknown) => e instanceof UfsAccessDeniedError && /InvalidAccessKeyId/.test(e.message) && !e.message.includes('whatever-secret'));
  });

  await t.test('GIVEN a bucket that does not exist WHEN listing THEN UfsNotFoundError', async () => {
    const ufs = createUfs({ name: 'm', mountPoint: 's3://no-such-bucket/x', encryptOptionFiles: {}, options: { endpoint: s3.endpoint, 'access-key': 'S3RVER', 'secret-key': 'S3RVER' } });
    t.after(() => ufs.close());
    await assert.rejects(ufs.list('/'), UfsNotFoundError);
  });

  await t.test('GIVEN a closed port WHEN reading THEN UfsUnavailableError after bounded retries', async () => {
    const port = await freePort();
    const ufs = createUfs({ name: 'm', mountPoint: `s3a://${BUCKET}/x`, encryptOptionFiles: {}, options: { 'fs.s3a.endpoint': `http://127.0.0.1:${port}`, 'fs.s3a.access.key': 'a', 'fs.s3a.secret.key': 'b' } });
    t.after(() => ufs.close());
    await assert.rejects(ufs.read('/f', 0, 10), (e: unknown) => e instanceof UfsUnavailableError && /ECONNREFUSED/.test(e.message) && /option fs\.s3a\.endpoint/.test(e.message));
    await assert.rejects(ufs.list('/'), UfsUnavailableError);
  });

  await t.test('GIVEN incomplete or unreadable credentials WHEN creating THEN UfsConfigError names the option or file', () => {
    assert.throws(
      () => createUfs({ name: 'm', mountPoint: `s3://${BUCKET}/`, encryptOptionFiles: {}, options: { endpoint: s3.endpoint, 'aws.accessKeyId': 'x' } }),
      (e: unknown) => e instanceof UfsConfigError && /aws\.secretAccessKey/.test(e.message),
    );
    assert.throws(
      () => createUfs({ name: 'm', mountPoint: `oss://${BUCKET}/`, options: { 'fs.oss.endpoint': host }, encryptOptionFiles: { 'fs.oss.accessKeyId': '/nonexistent/secret', 'fs.oss.accessKeySecret': '/nonexistent/secret2' } }),
      (e: unknown) => e instanceof UfsConfigError && /\/nonexistent\/secret/.test(e.message),
    );
    assert.throws(() => createUfs({ name: 'm', mountPoint: `oss://${BUCKET}/`, options: {}, encryptOptionFiles: {} }), /fs\.oss\.endpoint/);
  });
});

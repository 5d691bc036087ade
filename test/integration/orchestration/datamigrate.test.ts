// DataMigrate end to end with the real kubectl against `fluid up`, sha256 for every byte moved:
// a dataset served by nginx (read through the cache) to a local directory, resumed after the
// control plane restarts mid-run (files copied before stay, by inode); an S3 server (s3rver) to a
// dataset path, readable through the dataset's FUSE mount afterwards; and the errors: destination
// exists without overwrite, unreachable external URI, http as a destination (refused at admission).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sha256, sha256File, tempDir, waitFor } from '../../support/proc.js';
import { startNginx, startS3, writeRandomFile } from '../../support/servers.js';
import { condition, datasetWithRuntimeYaml, shaTree, startControlPlane, waitObj } from './harness.js';

type Obj = { status?: Record<string, unknown> };
const progress = (o: Obj | undefined): Record<string, number> => (o?.status?.['progress'] ?? {}) as Record<string, number>;

test('DataMigrate: dataset (nginx, through the cache) to a local directory, resumed after a control-plane restart', { timeout: 400_000 }, async (t) => {
  const www = tempDir(t, 'fluid-www-');
  chmodSync(www, 0o755);
  mkdirSync(join(www, 'src', 'sub'), { recursive: true });
  writeFileSync(join(www, 'src', 'a-small.txt'), 'small file\n'.repeat(100));
  writeRandomFile(join(www, 'src', 'b-big.bin'), 4 * 1024 * 1024 + 17, 3);
  writeRandomFile(join(www, 'src', 'sub', 'c-big.bin'), 4 * 1024 * 1024 + 5, 4);
  const want = await shaTree(join(www, 'src'));
  // Rate-limited so the run is still going when the control plane is stopped.
  const nginx = await startNginx(t, www, { limitRate: '512k' });
  const out = join(tempDir(t, 'fluid-migrate-out-'), 'copy');
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('web', `${nginx.url}src/`, { mountName: 'src' }) + `
---
apiVersion: data.fluid.io/v1alpha1
kind: DataMigrate
metadata:
  name: to-local
spec:
  from:
    dataset:
      name: web
      namespace: default
      path: /src
  to:
    externalStorage:
      uri: local://${out}
  parallelism: 1
`);
  const running = await waitObj(cp, ['datamigrate', 'to-local'], (o) => o.status?.['phase'] === 'Executing' && (progress(o)['migratedFiles'] ?? 0) >= 1, 'first file migrated', 180_000);
  assert.equal(progress(running)['totalFiles'], 3);
  assert.deepEqual(cp.json<Obj>(['get', 'dataset', 'web'])?.status?.['operationRef'], { DataMigrate: 'to-local' });
  const firstIno = statSync(join(out, 'a-small.txt')).ino;
  cp.down();
  cp.up();
  const done = await waitObj(cp, ['datamigrate', 'to-local'], (o) => o.status?.['phase'] === 'Complete' || o.status?.['phase'] === 'Failed', 'DataMigrate finished after the restart', 240_000);
  assert.equal(done.status?.['phase'], 'Complete', JSON.stringify(done.status));
  assert.deepEqual(progress(done), { migratedBytes: 8 * 1024 * 1024 + 22 + 1100, totalBytes: 8 * 1024 * 1024 + 22 + 1100, migratedFiles: 3, totalFiles: 3 });
  assert.ok(Number((done.status?.['infos'] as Record<string, string>)['keptFromEarlierRun']) >= 1, 'the resumed run kept what the first run copied');
  assert.equal(statSync(join(out, 'a-small.txt')).ino, firstIno, 'a file copied before the restart was not copied again');
  assert.deepEqual(await shaTree(out), want);
  assert.match(cp.k(['get', 'datamigrate', 'to-local']), /^NAME\s+PHASE\s+AGE\s+DURATION\nto-local\s+Complete\s+\S+\s+\S+/);
  await waitObj(cp, ['dataset', 'web'], (o) => o.status?.['operationRef'] === undefined, 'lock released');
});

test('DataMigrate: S3 (s3rver) to a dataset path, read back through the mount; clear errors, nothing half done', { timeout: 300_000 }, async (t) => {
  const s3 = await startS3(t, ['src']);
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  t.after(() => client.destroy());
  const objects = new Map<string, Buffer>([['in/readme.txt', Buffer.from('hello from s3\n')], ['in/deep/blob.bin', Buffer.alloc(3 * 1024 * 1024 + 9, 5)]]);
  for (const [k, v] of objects) await client.send(new PutObjectCommand({ Bucket: 'src', Key: k, Body: v }));
  const local = tempDir(t, 'fluid-local-ufs-');
  writeFileSync(join(local, 'existing.txt'), 'already here\n');
  const cp = startControlPlane(t);
  const migrate = (name: string, from: string, path: string, extra = ''): string => `
---
apiVersion: data.fluid.io/v1alpha1
kind: DataMigrate
metadata:
  name: ${name}
spec:
  from:
${from}
  to:
    dataset:
      name: store
      namespace: default
      path: ${path}
${extra}`;
  const fromS3 = `    externalStorage:
      uri: s3://src/in/
      encryptOptions:
        - name: aws.accessKeyId
          valueFrom: { secretKeyRef: { name: s3-cred, key: id } }
        - name: aws.secretAccessKey
          valueFrom: { secretKeyRef: { name: s3-cred, key: secret } }`;
  const s3Options = `  options:\n    aws.endpoint: ${s3.endpoint}\n`;
  cp.k(['create', 'secret', 'generic', 's3-cred', `--from-literal=id=${s3.accessKeyId}`, `--from-literal=secret=${s3.secretAccessKey}`]);
  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('store', `local://${local}`, { mountName: 'data' }) + migrate('from-s3', fromS3, '/data/imported', s3Options));
  const done = await waitObj(cp, ['datamigrate', 'from-s3'], (o) => o.status?.['phase'] === 'Complete' || o.status?.['phase'] === 'Failed', 'DataMigrate from S3 finished', 180_000);
  assert.equal(done.status?.['phase'], 'Complete', JSON.stringify(done.status));
  assert.equal(progress(done)['migratedFiles'], 2);
  const root = cp.fluid(['mount-path', 'store']).stdout.trim();
  for (const [k, v] of objects) {
    const rel = k.slice('in/'.length);
    assert.equal(await sha256File(join(local, 'imported', rel)), sha256(v), `UFS ${rel}`);
    assert.equal(await sha256File(join(root, 'data', 'imported', rel)), sha256(v), `through the mount ${rel}`);
  }
  const events = cp.k(['get', 'events', '--field-selector', 'involvedObject.kind=DataMigrate,involvedObject.name=from-s3', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
  assert.doesNotMatch(events, new RegExp(s3.secretAccessKey), 'no secret in events');

  // The same migration again: the destination exists and overwrite is not set.
  cp.k(['create', '-f', '-'], migrate('again', fromS3, '/data/imported', s3Options));
  const again = await waitObj(cp, ['datamigrate', 'again'], (o) => o.status?.['phase'] === 'Failed' || o.status?.['phase'] === 'Complete', 'second migration finished');
  assert.equal(again.status?.['phase'], 'Failed');
  assert.match(condition(again, 'Failed')?.message ?? '', /^spec\.to\.dataset\.path: the destination dataset default\/store path \/data\/imported already exists \(2 entries\); set spec\.options\.overwrite: "true"/);

  // An unreachable source: the field is named, and nothing is created at the destination.
  cp.k(['create', '-f', '-'], migrate('nowhere', '    externalStorage:\n      uri: http://127.0.0.1:1/none/', '/data/never'));
  const nowhere = await waitObj(cp, ['datamigrate', 'nowhere'], (o) => o.status?.['phase'] === 'Failed' || o.status?.['phase'] === 'Complete', 'unreachable migration finished');
  assert.equal(nowhere.status?.['phase'], 'Failed');
  assert.match(condition(nowhere, 'Failed')?.message ?? '', /^spec\.from\.externalStorage\.uri: cannot list http:\/\/127\.0\.0\.1:1\/none\//);
  assert.equal(existsSync(join(local, 'never')), false, 'nothing half done');

  // http(s) is read only: refused at admission, naming the field.
  const bad = cp.kubectl(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: DataMigrate
metadata:
  name: to-http
spec:
  from:
    dataset:
      name: store
  to:
    externalStorage:
      uri: http://127.0.0.1:1/x/
`);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec\.to\.externalStorage\.uri: Unsupported value: "http:\/\/127\.0\.0\.1:1\/x\/": http\(s\) storage is read only/);
  await waitFor('lock free', () => cp.json<Obj>(['get', 'dataset', 'store'])?.status?.['operationRef'] === undefined || undefined, 30_000, 300);
});

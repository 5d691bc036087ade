// A JuiceFSRuntime over a file system that does not exist yet, on S3 (s3rver on loopback) with SQLite
// metadata: the runtime formats it (storage s3, access-key / secret-key from a Secret, handed to
// juicefs through its environment only), a ReadWriteMany Dataset gives a writable FUSE mount whose
// bytes land as objects in the bucket, and a second runtime over the same volume does not reformat it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sha256, sha256File, tempDir, waitFor } from '../../support/proc.js';
import { startS3 } from '../../support/servers.js';
import { juicefsRuntimeYaml } from './manifests.js';
import { pods, startControlPlane, waitObj, type ControlPlane } from '../orchestration/harness.js';

function manifests(name: string, s3: string, meta: string): string {
  return `
apiVersion: v1
kind: Secret
metadata:
  name: ${name}-secret
type: Opaque
stringData:
  metaurl: "${meta}"
  access-key: S3RVER
  secret-key: S3RVER
---
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: ${name}
spec:
  accessModes: ["ReadWriteMany"]
  mounts:
    - name: s3vol
      mountPoint: "juicefs:///data"
      options:
        storage: s3
        bucket: "${s3}/jfs"
      encryptOptions:
        - name: metaurl
          valueFrom: { secretKeyRef: { name: ${name}-secret, key: metaurl } }
        - name: access-key
          valueFrom: { secretKeyRef: { name: ${name}-secret, key: access-key } }
        - name: secret-key
          valueFrom: { secretKeyRef: { name: ${name}-secret, key: secret-key } }
${juicefsRuntimeYaml(name, { mediumtype: 'SSD', path: '/mnt/jfs-cache', quota: '256Mi', volumeType: 'emptyDir' })}`;
}

async function remove(cp: ControlPlane, name: string): Promise<void> {
  cp.k(['delete', 'juicefsruntime', name, '--wait=false']);
  await waitFor(`juicefsruntime ${name} gone`, () => cp.kubectl(['get', 'juicefsruntime', name]).code !== 0, 120_000, 300);
  cp.k(['delete', 'dataset', name]);
}

test('JuiceFSRuntime formats a new S3-backed volume from Secrets, serves it read-write, and never reformats it', { timeout: 400_000 }, async (t) => {
  const s3 = await startS3(t, ['jfs']);
  const work = tempDir(t, 'fluid-jfs-s3-');
  chmodSync(work, 0o755);
  const meta = `sqlite3://${join(work, 'meta.db')}`;
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], manifests('s3a', s3.endpoint, meta));
  await waitObj(cp, ['dataset', 's3a'], (o) => o.status?.['phase'] === 'Bound', 's3a Bound', 180_000);
  const root = cp.fluid(['mount-path', 's3a']).stdout.trim();
  const data = randomBytes(5 * 1024 * 1024 + 17);
  writeFileSync(join(root, 'blob.bin'), data);
  assert.equal(await sha256File(join(root, 'blob.bin')), sha256(data));
  const logs = pods(cp).map((p) => cp.k(['logs', p.name])).join('\n');
  assert.match(logs, /formatted the file system/);
  assert.ok(!logs.includes(meta), 'the metaurl is masked in the pod logs');
  await remove(cp, 's3a');
  // A second runtime over the same volume (its own, empty cache dir: the bytes come from S3) finds it
  // and mounts it without formatting.
  cp.k(['create', '-f', '-'], manifests('s3b', s3.endpoint, meta));
  await waitObj(cp, ['dataset', 's3b'], (o) => o.status?.['phase'] === 'Bound', 's3b Bound', 180_000);
  const root2 = cp.fluid(['mount-path', 's3b']).stdout.trim();
  assert.equal(await sha256File(join(root2, 'blob.bin')), sha256(data), 'the same bytes, read back through S3');
  const logs2 = pods(cp).map((p) => cp.k(['logs', p.name])).join('\n');
  assert.match(logs2, /file system exists, not formatting/);
  assert.doesNotMatch(logs2, /formatted the file system/);
  await remove(cp, 's3b');
});

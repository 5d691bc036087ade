// Seed 004 end to end with the real kubectl: MinIO-style storage (s3rver on loopback) plugged in
// through a ThinRuntimeProfile whose command is the s3fs parse script (s3fs in place of goofys).
// The runtime first names a profile that does not exist yet (condition, no crash loop), then the
// profile appears; the dataset goes Bound, the PV's fluid_path serves `testfile` and a bigger
// object (sha256); deleting the ThinRuntime stops the client and unmounts the path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isMountpoint, sha256, sha256File, waitFor } from '../../support/proc.js';
import { startS3, writeRandomFile } from '../../support/servers.js';
import { condition, pods, startControlPlane, table, waitObj } from '../orchestration/harness.js';
import { s3fsScript } from './launcher-harness.js';

test('seed 004: ThinRuntime without its profile -> ProfileNotFound; profile created -> Bound, fluid_path reads testfile and sha256 of a bigger object; delete -> unmounted', { timeout: 600_000 }, async (t) => {
  const s3 = await startS3(t, ['my-first-bucket']);
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  t.after(() => client.destroy());
  await client.send(new PutObjectCommand({ Bucket: 'my-first-bucket', Key: 'testfile', Body: 'fluid-minio-test\n' }));
  const cp = startControlPlane(t);
  // t.after hooks run in registration order and the shared harness removes HOME before its
  // own `fluid down` hook; so stop the control plane here, pass or fail.
  try {
    const bigPath = join(cp.home, 'big.bin');
    writeRandomFile(bigPath, 2 * 1024 * 1024 + 5, 21);
    await client.send(new PutObjectCommand({ Bucket: 'my-first-bucket', Key: 'big.bin', Body: readFileSync(bigPath) }));

    cp.k(['create', 'secret', 'generic', 'minio-secret', `--from-literal=minio-access-key=${s3.accessKeyId}`, `--from-literal=minio-access-secret=${s3.secretAccessKey}`]);
    cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: minio-demo
spec:
  mounts:
  - mountPoint: minio://my-first-bucket
    name: minio
    options:
      minio-url: ${s3.endpoint}
    encryptOptions:
    - name: minio-access-key
      valueFrom:
        secretKeyRef:
          name: minio-secret
          key: minio-access-key
    - name: minio-access-secret
      valueFrom:
        secretKeyRef:
          name: minio-secret
          key: minio-access-secret
---
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntime
metadata:
  name: minio-demo
spec:
  profileName: minio
  `);
    const missing = await waitObj(cp, ['thinruntime', 'minio-demo'], (o) => condition(o, 'Ready')?.reason === 'ProfileNotFound', 'ProfileNotFound condition');
    assert.match(condition(missing, 'Ready')?.message ?? '', /ThinRuntimeProfile "minio" \(spec\.profileName\) was not found/);
    assert.deepEqual(pods(cp), [], 'no client pod while the profile is missing');

    cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntimeProfile
metadata:
  name: minio
spec:
  fileSystemType: fuse.s3fs
  fuse:
    image: fluid-minio-s3fs
    imageTag: demo
    imagePullPolicy: IfNotPresent
    command:
    - sh
    - ${s3fsScript}
  `);
    await waitObj(cp, ['dataset', 'minio-demo'], (o) => o.status?.['phase'] === 'Bound', 'dataset Bound', 180_000);
    const row = table(cp.k(['get', 'dataset', 'minio-demo']))[0];
    assert.equal(row?.['PHASE'], 'Bound');
    // As in the seed's output: a ThinRuntime has no cache, so the size columns read N/A.
    assert.equal(row?.['UFS TOTAL SIZE'], 'N/A');
    assert.equal(row?.['CACHED'], 'N/A');
    assert.equal(row?.['CACHE CAPACITY'], 'N/A');
    assert.equal(row?.['CACHED PERCENTAGE'], 'N/A');
    await waitObj(cp, ['thinruntime', 'minio-demo'], (o) => o.status?.['fusePhase'] === 'Ready' && condition(o, 'FuseReady')?.reason === 'Mounted', 'fuse phase Ready, FuseReady=Mounted');
    await waitObj(cp, ['thinruntime', 'minio-demo'], (o) => condition(o, 'Ready')?.status === 'True', 'runtime Ready');

    await waitObj(cp, ['pv', 'default-minio-demo'], (o) => o.status?.['phase'] === 'Bound', 'PV Bound');
    const pv = cp.json<{ spec: { csi: { volumeAttributes: Record<string, string> } } }>(['get', 'pv', 'default-minio-demo']);
    const fluidPath = pv?.spec.csi.volumeAttributes['fluid_path'] ?? '';
    assert.equal(fluidPath, join(cp.home, 'runtime-mnt/thin/default/minio-demo/thin-fuse'));
    assert.equal(pv?.spec.csi.volumeAttributes['mount_type'], 'fuse.s3fs');
    assert.equal(cp.json<{ status: { phase: string } }>(['get', 'pvc', 'minio-demo'])?.status.phase, 'Bound');
    assert.equal(readFileSync(join(fluidPath, 'testfile'), 'utf8'), 'fluid-minio-test\n');
    assert.equal(await sha256File(join(fluidPath, 'big.bin')), sha256(readFileSync(bigPath)));
    // The runtime's JSON never carries the credentials.
    assert.ok(!cp.k(['get', 'thinruntime', 'minio-demo', '-o', 'json']).includes(s3.secretAccessKey === 'S3RVER' ? 'S3RVER:S3RVER' : s3.secretAccessKey));

    cp.k(['delete', 'thinruntime', 'minio-demo', '--wait=false']);
    await waitFor('runtime deleted', () => cp.kubectl(['get', 'thinruntime', 'minio-demo']).code !== 0, 120_000, 500);
    assert.equal(isMountpoint(fluidPath), false, 'fluid_path unmounted after delete');
    assert.deepEqual(pods(cp), []);
    await waitObj(cp, ['dataset', 'minio-demo'], (o) => o.status?.['phase'] === 'NotBound', 'dataset NotBound after runtime deletion');
  } finally {
    cp.fluid(['down']);
  }
});

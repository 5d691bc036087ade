// Seed 000 with a JindoRuntime whose master metadata directory (namespace.meta-dir) lives on a
// PVC-backed volume: read the data, stop the UFS (nginx), `kubectl delete pod demo-jindofs-master-0`;
// once the master is back (journal replayed from HOME/volumes/default/demo-jindo-master-meta/),
// the tree still lists and cached files still read. `path: /` puts the files at the mount's root. Pods have Fluid's JindoRuntime names:
// demo-jindofs-master-0, demo-jindofs-worker-N, demo-jindofs-fuse-xxxxx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File, waitFor } from '../../support/proc.js';
import { seed000DatasetAndRuntime, serveHbase, pods, startControlPlane, waitObj } from './harness.js';

test('seed 000: JindoRuntime with PVC meta dir survives a master pod deletion while the UFS is down', { timeout: 400_000 }, async (t) => {
  const { files: want, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: demo-jindo-master-meta
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: alicloud-disk-topology-alltype
  resources:
    requests:
      storage: 30Gi
---
${seed000DatasetAndRuntime(`${nginx.url}hbase/`)}`);
  await waitObj(cp, ['dataset', 'demo'], (o) => o.status?.['phase'] === 'Bound', 'demo Bound', 180_000);
  // path: / makes the mount the dataset's root: the bucket's files sit directly under the mount path.
  const root = cp.fluid(['mount-path', 'demo']).stdout.trim();
  assert.match(root, /runtime-mnt\/jindo\/default\/demo\/jindofs-fuse$/);
  assert.deepEqual(readdirSync(root).sort(), [...new Set([...want.keys()].map((k) => k.split('/')[0] ?? ''))].sort());
  for (const [rel, sha] of want) assert.equal(await sha256File(join(root, rel)), sha, rel);
  const metaDir = join(cp.home, 'volumes/default/demo-jindo-master-meta/demo-jindofs-master-0');
  assert.ok(existsSync(metaDir) && readdirSync(metaDir).length > 0, `journal under the PVC volume: ${metaDir}`);

  await nginx.stop();
  const before = cp.json<{ metadata: { uid: string } }>(['get', 'pod', 'demo-jindofs-master-0'])?.metadata.uid;
  cp.k(['delete', 'pod', 'demo-jindofs-master-0']);
  await waitFor('demo-jindofs-master-0 back and Ready', () => {
    const p = pods(cp).find((x) => x.name === 'demo-jindofs-master-0');
    const uid = cp.json<{ metadata: { uid: string } }>(['get', 'pod', 'demo-jindofs-master-0'])?.metadata.uid;
    return p?.ready && uid !== before;
  }, 180_000, 500);
  const listed = await waitFor('the tree lists from the recovered master', () => {
    try {
      const names = readdirSync(root).sort();
      return names.length > 0 ? names : undefined;
    } catch {
      return undefined;
    }
  }, 60_000, 1_000);
  assert.deepEqual(listed, [...new Set([...want.keys()].map((k) => k.split('/')[0] ?? ''))].sort());
  for (const [rel, sha] of want) assert.equal(await sha256File(join(root, rel)), sha, `${rel} read from the cache with the UFS down`);
});

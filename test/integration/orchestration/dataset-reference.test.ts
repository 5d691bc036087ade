// A dataset:// reference in a second namespace, with the real kubectl against `fluid up`: it binds to
// the physical dataset's runtime, reads byte-exact through the shared cache, mirrors CACHED, is listed
// in the physical dataset's status.datasetRef, and the physical dataset cannot be deleted while it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sha256File, waitFor } from '../../support/proc.js';
import { datasetWithRuntimeYaml, serveHbase, startControlPlane, waitObj } from './harness.js';

type Obj = { status?: Record<string, unknown> };
const cached = (o: Obj | undefined): string | undefined => (o?.status?.['cacheStates'] as Record<string, string> | undefined)?.['cached'];

test('dataset://default/phy in namespace team-b shares the cache; deleting the physical dataset is refused while referenced', { timeout: 300_000 }, async (t) => {
  const { files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('phy', `${nginx.url}hbase/`));
  await waitObj(cp, ['dataset', 'phy'], (o) => o.status?.['phase'] === 'Bound', 'physical dataset bound', 180_000);
  cp.k(['create', 'namespace', 'team-b']);
  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: shared
  namespace: team-b
spec:
  mounts:
    - mountPoint: dataset://default/phy
      name: phy
`);
  const ref = await waitObj(cp, ['dataset', 'shared', '-n', 'team-b'], (o) => o.status?.['phase'] === 'Bound', 'reference bound');
  assert.deepEqual((ref.status?.['runtimes'] as Record<string, unknown>[])[0]?.['name'], 'phy');
  assert.deepEqual(cp.json<Obj>(['get', 'dataset', 'phy'])?.status?.['datasetRef'], ['team-b/shared']);
  assert.equal(cp.json<{ status?: { phase?: string } }>(['get', 'pvc', 'shared', '-n', 'team-b'])?.status?.phase, 'Bound');

  // Reads through the reference go through the physical dataset's cache.
  const root = cp.fluid(['mount-path', 'shared', '-n', 'team-b']).stdout.trim();
  assert.equal(root, cp.fluid(['mount-path', 'phy']).stdout.trim(), 'the same FUSE mount');
  for (const [rel, sha] of files) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, rel);
  const phyCached = await waitFor('physical dataset caches what the reference read', () => {
    const c = cached(cp.json<Obj>(['get', 'dataset', 'phy']));
    return c && c !== '0.00B' ? c : undefined;
  }, 30_000, 300);
  await waitObj(cp, ['dataset', 'shared', '-n', 'team-b'], (o) => cached(o) === phyCached || (cached(o) !== undefined && cached(o) === cached(cp.json<Obj>(['get', 'dataset', 'phy']))), 'reference mirrors CACHED', 30_000);

  // The physical dataset may not go while referenced: admission says why, and nothing changes.
  const refused = cp.kubectl(['delete', 'dataset', 'phy']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /datasets\.data\.fluid\.io "phy" is forbidden: it is referenced by dataset team-b\/shared \(status\.datasetRef, dataset:\/\/ mounts\); delete that dataset first/);
  assert.equal(cp.json<Obj>(['get', 'dataset', 'phy'])?.status?.['phase'], 'Bound');

  // Bad reference: refused at admission, naming the field.
  const bad = cp.kubectl(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: badref
  namespace: team-b
spec:
  mounts:
    - mountPoint: dataset://Default
`);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec\.mounts\[0\]\.mountPoint: Invalid value: "dataset:\/\/Default": expected dataset:\/\/<namespace>\/<dataset name>/);

  // Deleting the reference releases the physical dataset.
  cp.k(['delete', 'dataset', 'shared', '-n', 'team-b']);
  await waitObj(cp, ['dataset', 'phy'], (o) => o.status?.['datasetRef'] === undefined, 'datasetRef emptied');
  assert.notEqual(cp.kubectl(['get', 'pvc', 'shared', '-n', 'team-b']).code, 0, 'the reference PVC is gone');
  cp.k(['delete', 'alluxioruntime', 'phy']);
  cp.k(['delete', 'dataset', 'phy', '--wait=false']);
  await waitFor('physical dataset gone', () => cp.kubectl(['get', 'dataset', 'phy']).code !== 0, 120_000, 500);
});

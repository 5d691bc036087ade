// ThinRuntime end to end with the real kubectl and rclone against nginx, plus a crashing client
// whose stderr carries a secret: the FuseReady condition quotes it masked, the pod log too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMountpoint, sha256File, tempDir, waitFor } from '../../support/proc.js';
import { startNginx, writeRandomFile } from '../../support/servers.js';
import { condition, startControlPlane, table, waitObj } from '../orchestration/harness.js';
import { rcloneScript } from './launcher-harness.js';

const SECRET = 'leaky-t0ken-value';

test('ThinRuntime over HTTP with rclone: Bound, sha256 through fluid_path, unmounted on delete; a crashing client\'s condition quotes stderr with the secret masked', { timeout: 600_000 }, async (t) => {
  const www = tempDir(t, 'fluid-thin-www-');
  chmodSync(www, 0o755);
  mkdirSync(join(www, 'data'));
  writeRandomFile(join(www, 'data', 'a.bin'), 4 * 1024 * 1024 + 1, 5);
  const nginx = await startNginx(t, www);
  const cp = startControlPlane(t);
  // t.after hooks run in registration order and the shared harness removes HOME before its
  // own `fluid down` hook; so stop the control plane here, pass or fail.
  try {

    cp.k(['create', 'secret', 'generic', 'leak', `--from-literal=token=${SECRET}`]);
    cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntimeProfile
metadata:
  name: rclone-http
spec:
  fileSystemType: fuse.rclone
  fuse:
    command: [sh, ${rcloneScript}]
---
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntimeProfile
metadata:
  name: leaky
spec:
  fileSystemType: fuse
  fuse:
    command: [sh, -c, 'echo "auth failed with $(cat $(jq -r .mounts[0].options.token $FLUID_CONFIG_PATH))" >&2; exit 3']
---
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: web
spec:
  mounts:
  - mountPoint: ${nginx.url}data/
    name: web
---
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntime
metadata:
  name: web
spec:
  profileName: rclone-http
  fuse:
    options:
      dir-cache-time: 10s
---
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: bad
spec:
  mounts:
  - mountPoint: minio://b
    encryptOptions:
    - name: token
      valueFrom: {secretKeyRef: {name: leak, key: token}}
---
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntime
metadata:
  name: bad
spec:
  profileName: leaky
  `);
    await waitObj(cp, ['dataset', 'web'], (o) => o.status?.['phase'] === 'Bound', 'dataset web Bound', 180_000);
    const row = table(cp.k(['get', 'dataset', 'web']))[0];
    assert.equal(row?.['PHASE'], 'Bound');
    await waitObj(cp, ['pv', 'default-web'], (o) => o.status?.['phase'] === 'Bound', 'PV Bound');
    const pv = cp.json<{ spec: { csi: { volumeAttributes: Record<string, string> } } }>(['get', 'pv', 'default-web']);
    const fluidPath = pv?.spec.csi.volumeAttributes['fluid_path'] ?? '';
    assert.equal(pv?.spec.csi.volumeAttributes['mount_type'], 'fuse.rclone');
    assert.equal(await sha256File(join(fluidPath, 'a.bin')), await sha256File(join(www, 'data', 'a.bin')));

    const bad = await waitObj(cp, ['thinruntime', 'bad'], (o) => condition(o, 'FuseReady')?.reason === 'ClientExited', 'FuseReady=False ClientExited on the leaky runtime');
    assert.match(condition(bad, 'FuseReady')?.message ?? '', /exited with code 3; restarting in \d+ ms; last output: auth failed with \*\*\*\*\*\*/);
    assert.equal(condition(bad, 'Ready')?.status, 'False');
    assert.ok(!cp.k(['get', 'thinruntime', 'bad', '-o', 'json']).includes(SECRET));
    const podDir = join(cp.home, 'pods', 'default');
    for (const p of readdirSync(podDir).filter((n) => n.startsWith('bad-fuse-'))) {
      assert.ok(!readFileSync(join(podDir, p, 'thin-fuse.log'), 'utf8').includes(SECRET), 'pod log has no secret');
    }

    cp.k(['delete', 'thinruntime', 'web', 'bad', '--wait=false']);
    await waitFor('runtimes deleted', () => cp.kubectl(['get', 'thinruntime', 'web']).code !== 0 && cp.kubectl(['get', 'thinruntime', 'bad']).code !== 0, 120_000, 500);
    assert.equal(isMountpoint(fluidPath), false, 'fluid_path unmounted after delete');
  } finally {
    cp.fluid(['down']);
  }
});

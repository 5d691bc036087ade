// On the real control plane (scripts/kube-cluster.sh, 3 nodes): the FUSE DaemonSet follows the
// application, through the CSI plugin each node agent serves (fuse.csi.fluid.io). A ThinRuntime
// (rclone over HTTP from the host's bridge address, fuse.cleanPolicy OnDemand) has no engine to
// reach across nodes, so its dataset binds on this cluster:
//   1. the FUSE DaemonSet has 0 pods and no node carries fluid.io/f-default-web;
//   2. an application pod pinned to fluid-node-3: NodeStageVolume labels that node only, the real
//      DaemonSet controller starts the FUSE pod there only, NodePublishVolume waits for its mount;
//   3. the application reads the data at its mountPath (sha256 equal, in its own mount namespace),
//      seen through kubectl logs (also -f) and kubectl exec (also -it);
//   4. deleting the application unstages: the label goes, and the FUSE pod goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, sha256, start, tempDir, waitFor } from '../../support/proc.js';
import { upKubeCluster } from './harness.js';
import { writeRandomFile } from '../../support/servers.js';

interface Obj { metadata: { name: string; labels?: Record<string, string> }; spec?: { nodeName?: string }; status?: { phase?: string; desiredNumberScheduled?: number } }

test('kube-cluster, 3 nodes: the FUSE pod follows the application pod through the CSI plugin', { timeout: 3_600_000 }, async (t) => {
  const { dir, kubeconfig, kubectl } = upKubeCluster(t, 3, 'fluid-kube-csi-');
  const items = (args: string[]): Obj[] => (JSON.parse(kubectl([...args, '-o', 'json'])) as { items: Obj[] }).items;
  const labelled = (): string[] => items(['get', 'nodes']).filter((n) => n.metadata.labels?.['fluid.io/f-default-web'] === 'true').map((n) => n.metadata.name);
  const fusePods = (): Obj[] => items(['get', 'pods', '-l', 'role=web-fuse']);

  // The UFS: an HTTP directory on the host's bridge address (reachable from every node host).
  const hostAddress = readFileSync(join(dir, 'host-address'), 'utf8').trim();
  const www = tempDir(t, 'fluid-kube-www-');
  chmodSync(www, 0o755);
  mkdirSync(join(www, 'data'));
  writeRandomFile(join(www, 'data', 'blob.bin'), 512 * 1024 + 3, 11);
  const want = sha256(readFileSync(join(www, 'data', 'blob.bin')));
  const port = await freePort();
  const http = start(t, 'python3', ['-m', 'http.server', String(port), '--bind', hostAddress, '--directory', www], { stopSignal: 'SIGTERM' });
  await waitFor('the HTTP server', async () => http.child.exitCode === null && (await fetch(`http://${hostAddress}:${port}/data/`)).ok, 30_000, 200);

  kubectl(['apply', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntimeProfile
metadata:
  name: rclone-http
spec:
  fileSystemType: fuse.rclone
  fuse:
    image: rclone
    command: [sh, ${join(repoRoot, 'examples/thin/rclone-http/fluid-config-parse.sh')}]
---
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: web
spec:
  mounts:
    - mountPoint: http://${hostAddress}:${port}/data/
      name: web
---
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntime
metadata:
  name: web
spec:
  profileName: rclone-http
  fuse:
    cleanPolicy: OnDemand
`);
  await waitFor('dataset web Bound', () => /\bBound\b/.test(kubectl(['get', 'dataset', 'web'])), 180_000, 1_000);

  await t.test('THEN the FUSE DaemonSet has 0 pods and no node is labelled', () => {
    const ds = JSON.parse(kubectl(['get', 'ds', 'web-fuse', '-o', 'json'])) as Obj;
    assert.equal(ds.status?.desiredNumberScheduled ?? 0, 0);
    assert.deepEqual(fusePods(), []);
    assert.deepEqual(labelled(), []);
  });

  await t.test('WHEN an application pod is pinned to fluid-node-3 THEN the FUSE pod appears there only and the app reads the data', async () => {
    kubectl(['create', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' },
      spec: {
        nodeName: 'fluid-node-3',
        containers: [{ name: 'app', image: 'nginx', command: ['sh', '-c', 'sha256sum /data/blob.bin; sleep 3600'], volumeMounts: [{ name: 'web', mountPath: '/data' }] }],
        volumes: [{ name: 'web', persistentVolumeClaim: { claimName: 'web' } }],
      },
    }));
    await waitFor('the FUSE label on fluid-node-3', () => labelled().length > 0, 60_000, 500);
    assert.deepEqual(labelled(), ['fluid-node-3']);
    await waitFor('the app Running', () => items(['get', 'pods']).some((p) => p.metadata.name === 'app' && p.status?.phase === 'Running'), 180_000, 1_000);
    assert.deepEqual(fusePods().map((p) => p.spec?.nodeName), ['fluid-node-3']);
    // kubectl logs and kubectl exec: through the apiserver to the node agent's kubelet API.
    await waitFor('the app to print the sha256', () => kubectl(['logs', 'app']).includes('/data/blob.bin'), 60_000, 500);
    assert.match(kubectl(['logs', 'app']), new RegExp(`^${want}  /data/blob.bin$`, 'm'));
    assert.equal(kubectl(['exec', 'app', '--', 'sha256sum', '/data/blob.bin']).split(/\s+/)[0], want);
    // -it under a pseudo-terminal (script(1) gives kubectl one; kubectl drops -t without -i): the command sees a terminal.
    const tty = spawnSync('script', ['-qec', `/usr/bin/kubectl --kubeconfig ${kubeconfig} exec -it app -- tty`, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(tty.status, 0, tty.stdout + tty.stderr);
    assert.match(tty.stdout, /\/dev\/pts\/\d+\r?$/m, 'kubectl exec -it runs the command on a terminal');
    // kubectl logs -f streams (the first line arrives while the pod runs on).
    const follow = spawn('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'logs', '-f', 'app'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => { followed += d.toString(); });
    try {
      await waitFor('kubectl logs -f to print the sha256', () => followed.includes('/data/blob.bin') || undefined, 30_000, 200);
    } finally {
      follow.kill('SIGTERM');
    }
  });

  await t.test('WHEN the application is deleted THEN the label goes and the FUSE pod goes', async () => {
    kubectl(['delete', 'pod', 'app', '--timeout=120s']);
    await waitFor('the FUSE label removed', () => labelled().length === 0, 60_000, 500);
    await waitFor('the FUSE pod gone', () => fusePods().length === 0, 120_000, 1_000);
  });

  kubectl(['delete', 'thinruntime', 'web', '--timeout=120s']);
  kubectl(['delete', 'dataset', 'web', '--timeout=120s']);
});

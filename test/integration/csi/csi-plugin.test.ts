// `fluid csi` as the kubelet drives it, against a bare API server and a real FUSE mount (the
// libfuse3 binding serving one file, test/integration/fuse/support/native-fs-server.ts):
//   1. csi-sanity (kubernetes-csi/csi-test, built by scripts/go-tool.sh), node tests only;
//   2. publish before the FUSE mount exists fails with DeadlineExceeded naming the path;
//   3. stage labels the Node, publish bind-mounts the FUSE mount read-only (sha256 equal, EROFS),
//      unpublish removes the bind mount and the target directory, the FUSE mount stays;
//   4. unstage with fuse.cleanPolicy OnDemand keeps the label while a pod on the node mounts the
//      dataset's claim, and removes it once none does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CsiCallError, CsiGrpcClient } from '../../../src/adapters/csi/csi-grpc-client.js';
import { fuseNodeLabel } from '../../../src/core/workloads/names.js';
import { freePort, isMountpoint, repoRoot, sha256, sha256File, start, startFluid, unmountQuietly, waitFor, type Proc } from '../../support/proc.js';
import { writeRandomFile } from '../../support/servers.js';
import { startApiServerProcess } from '../apiserver/harness.js';

const fsServer = fileURLToPath(new URL('../fuse/support/native-fs-server.js', import.meta.url));
const NODE = hostname();
const LABEL = fuseNodeLabel('default', 'hbase');
const MNT_CAP = { mount: {}, accessMode: { mode: 3 /* MULTI_NODE_READER_ONLY */ } };

async function rejects(p: Promise<unknown>): Promise<CsiCallError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CsiCallError, String(err));
    return err;
  }
  throw new Error('the call succeeded');
}

test('GIVEN fluid csi on a unix socket with a bare API server', { timeout: 300_000 }, async (t) => {
  // One cleanup, in order (after-hooks run in registration order): stop the FUSE server, unmount, remove the dir.
  const dir = mkdtempSync(join(tmpdir(), 'fluid-csi-'));
  let server: Proc | undefined;
  t.after(async () => {
    csi?.close();
    unmountQuietly(target);
    await server?.kill('SIGTERM');
    unmountQuietly(fluidPath);
    rmSync(dir, { recursive: true, force: true });
  });
  let csi: CsiGrpcClient | undefined;
  const fluidPath = join(dir, 'runtime-mnt', 'alluxio', 'default', 'hbase', 'alluxio-fuse');
  const target = join(dir, 'pods', 'uid-1', 'volumes', 'kubernetes.io~csi', 'default-hbase', 'mount');
  const home = join(dir, 'home');
  const { cluster } = await startApiServerProcess(t, home, await freePort());
  const kubectl = (...args: string[]): string => {
    const r = cluster.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const sock = join(dir, 'csi.sock');
  const plugin = startFluid(t, ['csi', '--endpoint', `unix://${sock}`, '--node-id', NODE, '--kubeconfig', cluster.kubeconfig, '--publish-timeout', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor('the CSI socket', () => existsSync(sock) || plugin.child.exitCode !== null, 30_000);
  assert.equal(plugin.child.exitCode, null, plugin.output());
  const client = new CsiGrpcClient(`unix://${sock}`);
  csi = client;

  await t.test('THEN Identity names the driver fuse.csi.fluid.io and Node advertises STAGE_UNSTAGE_VOLUME', async () => {
    assert.deepEqual(await client.call('GetPluginInfo', {}), { name: 'fuse.csi.fluid.io', vendorVersion: '0.1.0' });
    assert.deepEqual(await client.call('Probe', {}), { ready: { value: true } });
    assert.deepEqual(await client.call('NodeGetCapabilities', {}), { capabilities: [{ rpc: { type: 1 } }] });
    assert.deepEqual(await client.call('NodeGetInfo', {}), { nodeId: NODE });
  });

  await t.test('THEN csi-sanity passes its node tests (Controller Server and CreateVolume cases skipped)', () => {
    const tool = spawnSync('bash', [join(repoRoot, 'scripts/go-tool.sh'), 'csi-sanity'], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(tool.status, 0, tool.stderr);
    const r = spawnSync(tool.stdout.trim(), [
      '--csi.endpoint', `unix://${sock}`, '--csi.stagingdir', join(dir, 'sanity-staging'), '--csi.mountdir', join(dir, 'sanity-target'),
      '--ginkgo.skip', 'Controller Server|should remove target path|NodeStageVolume should fail when no volume capability',
      '--ginkgo.no-color',
    ], { encoding: 'utf8', timeout: 240_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const ran = /Ran (\d+) of \d+ Specs/.exec(r.stdout);
    assert.ok(ran && Number(ran[1]) >= 10, r.stdout);
    assert.match(r.stdout, /SUCCESS!.*0 Failed/);
  });

  mkdirSync(fluidPath, { recursive: true });
  const staging = join(dir, 'plugins', 'globalmount');
  mkdirSync(staging, { recursive: true });
  const volumeContext = { fluid_path: fluidPath, mount_type: 'fuse.alluxio-fuse', runtime_name: 'hbase', runtime_namespace: 'default' };
  const stageReq = { volumeId: 'default-hbase', stagingTargetPath: staging, volumeCapability: MNT_CAP, volumeContext };
  const publishReq = { volumeId: 'default-hbase', stagingTargetPath: staging, targetPath: target, volumeCapability: MNT_CAP, volumeContext };
  const nodeLabel = (): string | undefined => (JSON.parse(kubectl('get', 'node', NODE, '-o', 'json')) as { metadata: { labels?: Record<string, string> } }).metadata.labels?.[LABEL];

  await t.test('WHEN publish is called before the FUSE mount exists THEN it fails with DeadlineExceeded naming fluid_path', async () => {
    const err = await rejects(client.call('NodePublishVolume', publishReq));
    assert.equal(err.status, 'DEADLINE_EXCEEDED');
    assert.match(err.details, new RegExp(`gave up after 2s: the dataset's FUSE mount at ${fluidPath} is not mounted yet`));
    assert.equal(existsSync(target), false);
  });

  await t.test('WHEN the volume is staged THEN the node carries the FUSE label', async () => {
    assert.equal(nodeLabel(), undefined);
    await client.call('NodeStageVolume', stageReq);
    await client.call('NodeStageVolume', stageReq); // idempotent
    assert.equal(nodeLabel(), 'true');
  });

  // The FUSE pod's part: a real FUSE mount at fluid_path.
  const source = join(dir, 'source.bin');
  writeRandomFile(source, 3 * 1024 * 1024 + 17, 7);
  for (let b = 0; b < 4; b++) writeFileSync(join(dir, `block-${b}.blk`), readFileSync(source).subarray(b * 1024 * 1024, (b + 1) * 1024 * 1024));
  server = start(t, process.execPath, [fsServer, dir, fluidPath, String(1024 * 1024)], { stopSignal: 'SIGTERM' });
  const fuse = server;
  await waitFor('the FUSE server', () => /READY/.test(fuse.output()), 30_000);

  await t.test('WHEN published read-only THEN the pod path shows the FUSE mount (sha256 equal) and refuses writes', async () => {
    await client.call('NodePublishVolume', publishReq);
    await client.call('NodePublishVolume', publishReq); // idempotent
    assert.ok(isMountpoint(target));
    assert.equal(await sha256File(join(target, 'f')), sha256(readFileSync(source)));
    assert.throws(() => writeFileSync(join(target, 'new'), 'x'), /EROFS|read-only/);
    const rw = await rejects(client.call('NodePublishVolume', { ...publishReq, volumeCapability: { mount: {}, accessMode: { mode: 5 } } }));
    assert.equal(rw.status, 'ALREADY_EXISTS');
  });

  await t.test('WHEN unpublished THEN the target is unmounted and removed, the FUSE mount stays', async () => {
    await client.call('NodeUnpublishVolume', { volumeId: 'default-hbase', targetPath: target });
    await client.call('NodeUnpublishVolume', { volumeId: 'default-hbase', targetPath: target }); // idempotent
    assert.equal(existsSync(target), false);
    assert.equal(await sha256File(join(fluidPath, 'f')), sha256(readFileSync(source)));
  });

  await t.test('WHEN unstaged with cleanPolicy OnDemand THEN the label stays while a pod on the node uses the claim, and goes after', async () => {
    cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', metadata: { name: 'hbase' }, spec: { replicas: 1, fuse: { cleanPolicy: 'OnDemand' } } }) });
    kubectl('create', '-f', join(repoRoot, 'test/fixtures/seeds/seed001-dataset.yaml'));
    kubectl('patch', 'dataset', 'hbase', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { runtimes: [{ name: 'hbase', namespace: 'default', type: 'alluxio', category: 'Accelerate' }] } }));
    const app = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'hbase' } }] } };
    const made = cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(app) });
    assert.equal(made.code, 0, made.stderr);
    await client.call('NodeUnstageVolume', { volumeId: 'default-hbase', stagingTargetPath: staging });
    assert.equal(nodeLabel(), 'true');
    assert.match(plugin.output(), /label fluid\.io\/f-default-hbase kept \(still used by pod default\/app\)/);

    await client.call('NodeStageVolume', stageReq);
    kubectl('delete', 'pod', 'app', '--wait=true');
    await client.call('NodeUnstageVolume', { volumeId: 'default-hbase', stagingTargetPath: staging });
    assert.equal(nodeLabel(), undefined);
    await client.call('NodeUnstageVolume', { volumeId: 'default-hbase', stagingTargetPath: staging }); // idempotent
  });
});

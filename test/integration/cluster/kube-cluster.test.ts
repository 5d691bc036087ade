// scripts/kube-cluster.sh against the real Kubernetes control plane built from Go modules: etcd,
// kube-apiserver (TLS, Node+RBAC authorization), kube-controller-manager, kube-scheduler, and three
// node hosts in network namespaces, each with a fluid-ts node agent registering its Node and Lease.
// The real kubectl reads the server's version and the nodes; the API conformance table and the
// Python client suite pass against the real kube-apiserver; a node host reaches a server on the
// host's bridge address; a killed node goes NotReady in the real node lifecycle controller; `down`
// leaves no process, namespace or link behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, waitFor } from '../../support/proc.js';
import { kubeClusterScript, upKubeCluster } from './harness.js';

const script = kubeClusterScript;

interface NodeView {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { addresses?: { type: string; address: string }[]; conditions?: { type: string; status: string }[] };
}

test('kube-cluster up --nodes 3: the real control plane, 3 Ready nodes with their own addresses, kill-node -> NotReady, down leaves nothing', { timeout: 3_600_000 }, async (t) => {
  const { dir, kubeconfig, kubectl } = upKubeCluster(t, 3);

  const version = JSON.parse(kubectl(['version', '-o', 'json'])) as { serverVersion?: { gitVersion?: string } };
  const pinned = /require k8s\.io\/kubernetes (v\S+)/.exec(readFileSync(join(repoRoot, 'tools/kube/go.mod'), 'utf8'))?.[1];
  assert.equal(version.serverVersion?.gitVersion, pinned, 'kubectl version shows the real server version built from tools/kube/go.mod');

  const hostAddress = readFileSync(join(dir, 'host-address'), 'utf8').trim();
  const nodes = (JSON.parse(kubectl(['get', 'nodes', '-o', 'json'])) as { items: NodeView[] }).items;
  assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['fluid-node-1', 'fluid-node-2', 'fluid-node-3']);
  const prefix = hostAddress.replace(/\.1$/, '.');
  for (const n of nodes) {
    const idx = Number(n.metadata.name.slice('fluid-node-'.length));
    assert.deepEqual(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address, `${prefix}${10 + idx}`);
    assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', `${n.metadata.name} Ready`);
    assert.equal(n.metadata.labels?.['kubernetes.io/hostname'], n.metadata.name);
  }
  assert.match(kubectl(['get', 'nodes']), /^fluid-node-1\s+Ready\s/m);
  const leases = (JSON.parse(kubectl(['get', 'lease', '-n', 'kube-node-lease', '-o', 'json'])) as { items: { metadata: { name: string }; spec: { holderIdentity: string } }[] }).items;
  assert.deepEqual(leases.map((l) => `${l.metadata.name}=${l.spec.holderIdentity}`).sort(), ['fluid-node-1=fluid-node-1', 'fluid-node-2=fluid-node-2', 'fluid-node-3=fluid-node-3']);

  // The embedded API server's conformance table and the official Python client's suite, against the
  // real kube-apiserver: both must pass here exactly as they pass against `fluid up`.
  for (const [file, env] of [['api-conformance', 'FLUID_API_CONFORMANCE_KUBECONFIG'], ['python-client', 'FLUID_PYTHON_COMPAT_KUBECONFIG']] as const) {
    const r = spawnSync(process.execPath, ['--test', join(repoRoot, `dist/test/integration/apiserver/${file}.test.js`)], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, [env]: kubeconfig } });
    assert.equal(r.status, 0, `${file} against the real kube-apiserver:\n${r.stdout.slice(-4000)}`);
  }

  // The controllers run as a Deployment's pod on one of the nodes, with a token of their service
  // account, and act on the real API server: a new Dataset gets its NotBound status from them.
  const ctl = (JSON.parse(kubectl(['get', 'pods', '-n', 'fluid-system', '-l', 'app=fluid-controllers', '-o', 'json'])) as { items: { spec: { nodeName?: string }; status: { phase?: string; hostIP?: string } }[] }).items;
  assert.equal(ctl.length, 1);
  assert.equal(ctl[0]?.status.phase, 'Running');
  assert.match(ctl[0]?.spec.nodeName ?? '', /^fluid-node-[123]$/);
  assert.equal(ctl[0]?.status.hostIP, `${prefix}${10 + Number((ctl[0]?.spec.nodeName ?? '').slice('fluid-node-'.length))}`);
  const created = spawnSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'create', '-f', '-'], { encoding: 'utf8', input: `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: hbase
spec:
  mounts:
    - mountPoint: http://${hostAddress}:1/hbase/
      name: hbase
` });
  assert.equal(created.status, 0, created.stderr);
  await waitFor('the controllers to set the Dataset NotBound', () => {
    const d = JSON.parse(kubectl(['get', 'dataset', 'hbase', '-o', 'json'])) as { status?: { phase?: string } };
    return d.status?.phase === 'NotBound' ? true : undefined;
  }, 120_000, 1_000);
  assert.match(kubectl(['get', 'dataset', 'hbase']), /^hbase\s.*NotBound\s/m);

  // A node host reaches a server on the host at host-address.
  const body = `hello from the host ${Date.now()}`;
  const srv = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => srv.listen(0, hostAddress, resolve));
  t.after(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  const port = (srv.address() as { port: number }).port;
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 6);
  // Asynchronous: the server above answers on this process's event loop.
  const fetched = (await promisify(execFile)('nsenter', [`--net=/run/netns/fluid-${id}-2`, 'curl', '-sf', '--max-time', '10', `http://${hostAddress}:${port}/`], { encoding: 'utf8', timeout: 20_000 })).stdout;
  assert.equal(fetched, body, 'fluid-node-2 reached the host at host-address');

  // The loss of a node: the real node lifecycle controller marks it NotReady (Unknown) once its Lease stops.
  const killed = script(['kill-node', '--dir', dir, 'fluid-node-3'], 60_000);
  assert.equal(killed.code, 0, killed.stderr);
  await waitFor('fluid-node-3 NotReady', () => {
    const n = JSON.parse(kubectl(['get', 'node', 'fluid-node-3', '-o', 'json'])) as NodeView;
    return n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True' ? true : undefined;
  }, 180_000, 1_000);
  const others = (JSON.parse(kubectl(['get', 'nodes', '-o', 'json'])) as { items: NodeView[] }).items.filter((n) => n.metadata.name !== 'fluid-node-3');
  assert.deepEqual(others.map((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status), ['True', 'True']);

  const down = script(['down', '--dir', dir], 120_000);
  assert.equal(down.code, 0, down.stderr);
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  assert.doesNotMatch(netns, new RegExp(`fluid-${id}-`), 'no node host namespace is left');
  assert.notEqual(spawnSync('ip', ['link', 'show', `flb${id}`]).status, 0, 'the bridge is gone');
  for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'fluid-node-1']) {
    assert.equal(existsSync(join(dir, 'pids', `${name}.pid`)), false, `${name} was stopped`);
  }
  const left = spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.trim();
  assert.equal(left, '', `no process of the cluster is left: ${left}`);
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((l) => l.includes(` ${dir}/`));
  assert.deepEqual(mounts, [], 'nothing is left mounted');
});

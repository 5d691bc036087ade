// The seeds on a real cluster (scripts/kube-cluster.sh: real kube-apiserver, kube-scheduler and
// kube-controller-manager, three node hosts in network namespaces, fluid-ts node agents as kubelets).
// One cluster serves every test of this file (bring-up is the expensive part); the test that kills
// a node runs last.
//
// Seed 001: nginx on the host serves the WebUFS at host-address; AlluxioRuntime with 3 masters (Raft)
// and 2 workers. The real scheduler puts the masters on 3 different nodes and the workers on 2 (pod
// anti-affinity); every component reaches the others at its node's address. A reader on the node
// with no worker copies the data through that node's FUSE mount (sha256); the warm read comes from
// the remote workers (0 bytes from nginx, by its access log, and by the FUSE's per-source metrics).
// The reader is issue 11's application pod (fuse.cleanPolicy OnDemand): the FUSE DaemonSet has no
// pod until it is created, pinned to the node without a worker; the FUSE pod then runs there only;
// `kubectl exec` (the real kubectl, through the apiserver to the node agent's kubelet API over SPDY)
// reads the data at its mountPath (sha256), `kubectl logs` prints what it wrote and the master's log.
// Then the node of the leading master is killed while a reader runs: a new leader is elected, the
// reader sees no error, and the Node goes NotReady. Deleting the application removes the node's
// FUSE label, and the FUSE pod goes.
//
// Seed 004: a ThinRuntime whose profile mounts the WebUFS with rclone; its FUSE client runs on a
// chosen node (the runtime's fuse label) and the data reads back through that node's mount.
//
// Seed 000: a JindoRuntime whose master meta dir is a PVC bound to a hostPath PV marked reachable
// from every node (the stand-in for a network disk); after a first read, the UFS stops, the
// master's node is tainted and the master pod deleted: it is rescheduled to another node, replays
// its journal from the shared disk, workers and FUSE follow it to its new address (their ConfigMap
// files are refreshed by their node agents), and the tree and cached data are still served.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes } from '../../../src/api/quantity.js';
import { dropPageCache, isMountpoint, sha256, tempDir, waitFor } from '../../support/proc.js';
import { startNginx, type Nginx } from '../../support/servers.js';
import { hbaseFixture, seed000DatasetAndRuntime, shaTree, totalSize } from '../orchestration/harness.js';
import { rcloneScript } from '../thin/launcher-harness.js';
import { isReady, readyPods, upCluster, type Cluster, type ClusterPod } from './cluster-harness.js';

const cleanups: (() => void | Promise<void>)[] = [];
const scope = { after: (fn: () => void | Promise<void>): void => { cleanups.push(fn); } };
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

let cluster: Cluster;
let nginx: Nginx;
let want: Map<string, string>;
let ufsBytes: number;

before(async () => {
  const dir = tempDir(scope, 'fluid-seeds-');
  cluster = upCluster(scope, dir, 3);
  const www = tempDir(scope, 'fluid-www-');
  (await import('node:fs')).chmodSync(www, 0o755);
  want = await hbaseFixture(www);
  ufsBytes = totalSize(join(www, 'hbase'));
  nginx = await startNginx(scope, www, { host: cluster.hostAddress, accessLog: true });
});

/** `fluid_fuse_read_bytes_total` by source, from a FUSE client's /metrics. */
async function fuseBytes(address: string): Promise<Record<string, number>> {
  const text = await (await fetch(`http://${address}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^fluid_fuse_read_bytes_total\{source="([a-z_]+)"\} (\d+)/gm)) out[m[1] ?? ''] = Number(m[2]);
  const errors = /^fluid_fuse_read_errors_total (\d+)/m.exec(text);
  out['errors'] = Number(errors?.[1] ?? NaN);
  return out;
}

const nodeOf = (p: ClusterPod | undefined): string => p?.spec.nodeName ?? '';

function leader(c: Cluster): string | undefined {
  const r = c.fluid(['master-info', 'hbase', '--kubeconfig', c.kubeconfig]);
  return /^Current leader master: (hbase-master-\d+):/m.exec(r.stdout)?.[1];
}

test('seed 004 on 3 nodes: a ThinRuntime FUSE client runs on a chosen node and reads the data through its mount', { timeout: 600_000 }, async () => {
  const c = cluster;
  c.kubectl(['create', '-f', '-'], `
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
kind: Dataset
metadata:
  name: web
spec:
  mounts:
  - mountPoint: ${nginx.url}hbase/
    name: web
---
apiVersion: data.fluid.io/v1alpha1
kind: ThinRuntime
metadata:
  name: web
spec:
  profileName: rclone-http
`);
  await waitFor('dataset web Bound', () => c.table(['get', 'dataset', 'web'])[0]?.['PHASE'] === 'Bound' || undefined, 240_000, 1_000);
  // The chosen node: one that does not run the controllers (whose own node the controller labels).
  const ctlNode = c.json<{ items: ClusterPod[] }>(['get', 'pods', '-n', 'fluid-system', '-l', 'app=fluid-controllers']).items[0]?.spec.nodeName;
  const chosen = ['fluid-node-1', 'fluid-node-2', 'fluid-node-3'].find((n) => n !== ctlNode) ?? '';
  c.kubectl(['label', 'node', chosen, 'fluid.io/f-default-web=true', '--overwrite']);
  await waitFor(`a Ready ThinRuntime FUSE pod on ${chosen}`, () => c.pods('web-fuse-').find((p) => nodeOf(p) === chosen && isReady(p)), 180_000, 1_000);
  const mp = c.fluid(['mount-path', 'web', '--node', chosen, '--kubeconfig', c.kubeconfig]);
  assert.equal(mp.code, 0, mp.stderr);
  const path = mp.stdout.trim();
  assert.ok(path.startsWith(join(c.dir, 'nodes', chosen)), `the mount lives under ${chosen}'s own directory: ${path}`);
  assert.deepEqual(await shaTree(path), want, `the data read through the FUSE client on ${chosen} matches by sha256`);
  // Deleting it: each node agent stops its FUSE client, unmounts, frees the mount point and lets the pod go.
  c.kubectl(['delete', 'thinruntime', 'web', '--wait=false']);
  await waitFor('the ThinRuntime and its FUSE pods gone', () => (c.pods('web-fuse-').length === 0 && !c.kubectl(['get', 'thinruntime']).includes('web')) || undefined, 180_000, 1_000);
  assert.equal(isMountpoint(path), false, 'the mount point is unmounted');
});

test('seed 000 on 3 nodes: the JindoRuntime master moves to another node with its meta dir on a shared PV, and the tree and cached data are still served with the UFS down', { timeout: 900_000 }, async () => {
  const c = cluster;
  const disk = join(c.dir, 'shared-disk', 'demo-jindo-master-meta');
  c.kubectl(['create', '-f', '-'], `
apiVersion: v1
kind: PersistentVolume
metadata:
  name: demo-jindo-master-meta
  annotations:
    fluid.io/reachable-from-all-nodes: "true"
spec:
  capacity:
    storage: 30Gi
  accessModes:
    - ReadWriteOnce
  storageClassName: shared-hostpath
  hostPath:
    path: ${disk}
    type: DirectoryOrCreate
  claimRef:
    namespace: default
    name: demo-jindo-master-meta
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: demo-jindo-master-meta
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: shared-hostpath
  volumeName: demo-jindo-master-meta
  resources:
    requests:
      storage: 30Gi
---
${seed000DatasetAndRuntime(`${nginx.url}hbase/`)}`);
  await waitFor('dataset demo Bound', () => c.table(['get', 'dataset', 'demo'])[0]?.['PHASE'] === 'Bound' || undefined, 240_000, 1_000);
  // On a cluster FUSE pods follow the application: label a node other than the master's, as the CSI
  // plugin's NodeStageVolume does when an application pod using the dataset lands there.
  const masterNode = nodeOf(await waitFor('demo-jindofs-master-0 placed', () => c.pods('demo-jindofs-master-0').find((p) => nodeOf(p) !== ''), 120_000, 1_000));
  const readerNode = ['fluid-node-1', 'fluid-node-2', 'fluid-node-3'].find((n) => n !== masterNode) ?? 'fluid-node-1';
  c.kubectl(['label', 'node', readerNode, 'fluid.io/f-default-demo=true', '--overwrite']);
  const fusePod = await waitFor(`a Ready FUSE pod of demo on ${readerNode}`, () => c.pods('demo-jindofs-fuse-').find((p) => nodeOf(p) === readerNode && isReady(p)), 180_000, 1_000);
  const mp = c.fluid(['mount-path', 'demo', '--node', nodeOf(fusePod), '--kubeconfig', c.kubeconfig]);
  assert.equal(mp.code, 0, mp.stderr);
  const root = mp.stdout.trim();
  assert.deepEqual(await shaTree(root), want, 'the first read through the FUSE matches by sha256 (and fills the cache)');
  const master = c.pods('demo-jindofs-master-0')[0];
  const from = nodeOf(master);
  assert.ok(existsSync(join(disk, 'demo-jindofs-master-0')), `the master's journal is on the shared disk ${disk}`);

  await nginx.stop();
  try {
    c.kubectl(['taint', 'node', from, 'fluid-test/master-moved=true:NoSchedule']);
    c.kubectl(['delete', 'pod', 'demo-jindofs-master-0']);
    const moved = await waitFor('demo-jindofs-master-0 Ready on another node', () => {
      const p = c.pods('demo-jindofs-master-0')[0];
      return p && p.metadata.uid !== master?.metadata.uid && isReady(p) && nodeOf(p) !== from ? p : undefined;
    }, 240_000, 1_000);
    assert.notEqual(nodeOf(moved), from, `rescheduled from ${from} to ${nodeOf(moved)}`);
    const listed = await waitFor('the tree lists through the FUSE from the moved master', () => {
      try {
        const names = readdirSync(root).sort();
        return names.length > 0 ? names : undefined;
      } catch {
        return undefined;
      }
    }, 120_000, 1_000);
    assert.deepEqual(listed, [...new Set([...want.keys()].map((k) => k.split('/')[0] ?? ''))].sort());
    assert.ok(dropPageCache());
    assert.deepEqual(await shaTree(root), want, 'the cached data is served with the UFS down and the master on another node');
  } finally {
    c.kubectl(['taint', 'node', from, 'fluid-test/master-moved-']);
    await nginx.restart();
  }
});

test('seed 001 on 3 nodes: masters on 3 nodes, workers on 2, a reader on the third node reads through its FUSE from remote workers, and survives losing the leader\'s node', { timeout: 1_800_000 }, async () => {
  const c = cluster;
  c.kubectl(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: hbase
spec:
  mounts:
    - mountPoint: ${nginx.url}hbase/
      name: hbase
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: hbase
spec:
  replicas: 2
  master:
    replicas: 3
  fuse:
    cleanPolicy: OnDemand
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 2Gi
        high: "0.95"
        low: "0.7"
`);
  const masters = await readyPods(c, 'hbase-master-', 3);
  assert.equal(new Set(masters.map(nodeOf)).size, 3, `3 masters on 3 nodes: ${masters.map(nodeOf).join(', ')}`);
  for (const m of masters) assert.equal(m.status?.hostIP, c.nodeAddress(nodeOf(m)), `${m.metadata.name} reports its node's address`);
  const workers = await readyPods(c, 'hbase-worker-', 2);
  const workerNodes = new Set(workers.map(nodeOf));
  assert.equal(workerNodes.size, 2, `2 workers on 2 nodes: ${[...workerNodes].join(', ')}`);
  // Engine RPC on node addresses is authenticated: no credential, 401 and no data.
  const allocated = JSON.parse(c.json<{ metadata: { annotations: Record<string, string> } }>(['get', 'alluxioruntime', 'hbase']).metadata.annotations['fluid.io/ports'] ?? '{}') as { master: number[]; worker: number[] };
  const m0 = masters.find((m) => m.metadata.name === 'hbase-master-0');
  const w0 = workers.find((w) => w.metadata.name === 'hbase-worker-0');
  for (const port of allocated.master) assert.ok(port >= 20000 && port <= 26000, `master port ${port} from the runtime port range`);
  const rpc = await fetch(`http://${m0?.status?.hostIP ?? ''}:${allocated.master[0] ?? 0}/rpc/masterInfo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(rpc.status, 401, 'a master RPC without the credential is refused');
  const block = await fetch(`http://${w0?.status?.hostIP ?? ''}:${allocated.worker[0] ?? 0}/blocks/0000`);
  assert.equal(block.status, 401, 'a worker block read without the credential is refused');
  await rpc.text();
  await block.text();

  await waitFor('dataset Bound with the UFS size', () => {
    const row = c.table(['get', 'dataset', 'hbase'])[0];
    return row?.['PHASE'] === 'Bound' && row['UFS TOTAL SIZE'] === formatBytes(ufsBytes) ? row : undefined;
  }, 240_000, 1_000);
  const row = c.table(['get', 'dataset', 'hbase'])[0];
  assert.deepEqual(Object.keys(row ?? {}), ['NAME', 'UFS TOTAL SIZE', 'CACHED', 'CACHE CAPACITY', 'CACHED PERCENTAGE', 'PHASE', 'AGE']);
  assert.equal(row?.['CACHE CAPACITY'], '4.00GiB');
  assert.equal(row?.['CACHED PERCENTAGE'], '0.0%');

  // kubectl logs of an engine pod, through the real apiserver to the node agent's kubelet API.
  const masterLog = c.kubectl(['logs', 'hbase-master-0']);
  assert.ok(masterLog.trim().length > 0, 'kubectl logs prints the master\'s log');
  assert.equal(c.kubectl(['logs', 'hbase-master-0', '--tail=1']).trimEnd().split('\n').length, 1, 'kubectl logs --tail=1 prints one line');

  // Issue 11 on this cluster: the FUSE DaemonSet starts with no pod; an application pod that uses the
  // PVC, pinned to the node without a worker, brings the FUSE pod there (the CSI plugin's
  // NodeStageVolume labels the node), and only there.
  const fuseLabel = 'fluid.io/f-default-hbase';
  const labelled = (): string[] => c.json<{ items: { metadata: { name: string; labels?: Record<string, string> } }[] }>(['get', 'nodes']).items.filter((n) => n.metadata.labels?.[fuseLabel] === 'true').map((n) => n.metadata.name);
  const ds = c.json<{ status?: { desiredNumberScheduled?: number } }>(['get', 'ds', 'hbase-fuse']);
  assert.equal(ds.status?.desiredNumberScheduled ?? 0, 0, 'the FUSE DaemonSet has 0 pods before any application');
  assert.deepEqual(c.pods('hbase-fuse-'), []);
  assert.deepEqual(labelled(), []);
  const readerNode = ['fluid-node-1', 'fluid-node-2', 'fluid-node-3'].find((n) => !workerNodes.has(n)) ?? '';
  c.kubectl(['create', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hbase-app' },
    spec: {
      nodeName: readerNode,
      containers: [{ name: 'app', image: 'nginx', command: ['sh', '-c', 'echo "app sees $(ls /data/hbase | wc -l) entries in /data/hbase"; exec sleep 3600'], volumeMounts: [{ name: 'hbase', mountPath: '/data' }] }],
      volumes: [{ name: 'hbase', persistentVolumeClaim: { claimName: 'hbase' } }],
    },
  }));
  const fuse = await waitFor(`a Ready FUSE pod on ${readerNode}`, () => c.pods('hbase-fuse-').find((p) => nodeOf(p) === readerNode && isReady(p)), 180_000, 1_000);
  await waitFor('the application Running', () => c.pods('hbase-app').find((p) => p.status?.phase === 'Running'), 180_000, 1_000);
  assert.deepEqual(labelled(), [readerNode], 'NodeStageVolume labelled the application\'s node only');
  assert.deepEqual(c.pods('hbase-fuse-').map(nodeOf), [readerNode], 'the FUSE pod runs on the application\'s node only');
  // kubectl exec (WebSocket to the apiserver, SPDY from it to the node agent) reads the data at the mountPath.
  const listed = c.kubectl(['exec', 'hbase-app', '--', 'sh', '-c', 'cd /data/hbase && find . -type f | sort | xargs sha256sum']);
  const inApp = new Map(listed.trim().split('\n').map((l) => { const [sum = '', f = ''] = l.split(/\s+/); return [f.replace(/^\.\//, ''), sum] as const; }));
  assert.deepEqual(inApp, want, 'the application reads the dataset at its mountPath (sha256 equal), through kubectl exec');
  const topLevel = new Set([...want.keys()].map((k) => k.split('/')[0] ?? '')).size;
  await waitFor('the application\'s own output in kubectl logs', () => c.kubectl(['logs', 'hbase-app']).includes(`app sees ${topLevel} entries in /data/hbase`) || undefined, 60_000, 1_000);
  // stdin (kubectl exec -i) and the exit code come through too.
  const stdinBytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251));
  const piped = spawnSync('/usr/bin/kubectl', ['--kubeconfig', c.kubeconfig, 'exec', '-i', 'hbase-app', '--', 'sh', '-c', 'cat > stdin-copy && sha256sum stdin-copy && rm stdin-copy'], { input: stdinBytes, encoding: 'utf8', timeout: 60_000 });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stdout.split(/\s+/)[0], sha256(stdinBytes), 'kubectl exec -i delivers stdin byte for byte');
  const failing = spawnSync('/usr/bin/kubectl', ['--kubeconfig', c.kubeconfig, 'exec', 'hbase-app', '--', 'sh', '-c', 'echo to-stderr >&2; exit 3'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(failing.status, 3, `kubectl exec exits with the command's code: ${failing.stderr}`);
  assert.match(failing.stderr, /to-stderr/);
  // The kubelet API admits only the cluster CA's clients with the right: no certificate 401, a node's 403.
  const kubeletUrl = `https://${c.nodeAddress(readerNode)}:10250/containerLogs/default/hbase-app/app`;
  const code = (args: string[]): string => spawnSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', ...args, kubeletUrl], { encoding: 'utf8', timeout: 30_000 }).stdout;
  const pki = (n: string): string => join(c.dir, 'pki', n);
  assert.equal(code([]), '401', 'no client certificate: 401');
  assert.equal(code(['--cert', pki('node-1.crt'), '--key', pki('node-1.key')]), '403', 'another node\'s certificate: 403');
  assert.equal(code(['--cert', pki('admin.crt'), '--key', pki('admin.key')]), '200', 'system:masters: 200');
  const ports = JSON.parse(c.json<{ metadata: { annotations: Record<string, string> } }>(['get', 'alluxioruntime', 'hbase']).metadata.annotations['fluid.io/ports'] ?? '{}') as { fuse: number };
  const fuseMetrics = `${fuse.status?.hostIP ?? ''}:${ports.fuse}`;
  const mp = c.fluid(['mount-path', 'hbase', '--node', readerNode, '--kubeconfig', c.kubeconfig]);
  assert.equal(mp.code, 0, mp.stderr);
  const mountPath = join(mp.stdout.trim(), 'hbase');
  assert.ok(mountPath.startsWith(join(c.dir, 'nodes', readerNode)), `the mount lives under ${readerNode}'s own directory: ${mountPath}`);

  // Cold read: through the workers, which fill from nginx.
  assert.deepEqual(await shaTree(mountPath), want, 'the cold read through the FUSE matches by sha256');
  await waitFor('dataset 100.0% cached', () => c.table(['get', 'dataset', 'hbase'])[0]?.['CACHED PERCENTAGE'] === '100.0%' || undefined, 120_000, 1_000);

  // Warm read: from the remote workers only.
  const nginxBefore = nginx.bytesSent?.(() => true) ?? NaN;
  const before = await fuseBytes(fuseMetrics);
  assert.ok(dropPageCache(), 'the kernel page cache can be dropped');
  assert.deepEqual(await shaTree(mountPath), want, 'the warm read matches by sha256');
  const afterWarm = await fuseBytes(fuseMetrics);
  assert.equal((nginx.bytesSent?.(() => true) ?? NaN) - nginxBefore, 0, '0 bytes from the UFS during the warm read');
  assert.equal((afterWarm['ufs'] ?? 0) - (before['ufs'] ?? 0), 0, 'the FUSE read nothing from the UFS');
  assert.equal((afterWarm['short_circuit'] ?? 0) - (before['short_circuit'] ?? 0), 0, 'no short-circuit read: no worker on the reader\'s node');
  assert.ok((afterWarm['remote_worker'] ?? 0) - (before['remote_worker'] ?? 0) >= ufsBytes, `the remote workers served the warm read: ${JSON.stringify(afterWarm)}`);

  // The leading master's node must not be the reader's: if it is, the leader pod is deleted until
  // another master leads (its StatefulSet brings it back on the same node).
  let lead = await waitFor('a leader', () => leader(c), 60_000, 1_000);
  for (let i = 0; i < 5 && nodeOf(c.pods(lead)[0]) === readerNode; i++) {
    c.kubectl(['delete', 'pod', lead, '--wait=false']);
    await waitFor('another leader', () => { const l = leader(c); return l !== undefined && l !== lead ? l : undefined; }, 120_000, 1_000);
    await readyPods(c, 'hbase-master-', 3);
    lead = await waitFor('a leader', () => leader(c), 60_000, 1_000);
  }
  const leadNode = nodeOf(c.pods(lead)[0]);
  assert.notEqual(leadNode, readerNode);

  // A reader loops over the files (page cache dropped each pass, so every pass goes through the
  // FUSE) while the leader's node dies.
  const stopFile = join(c.dir, 'reader.stop');
  const files = [...want.keys()].map((f) => join(mountPath, f));
  const reader = spawn('bash', ['-c', `set -e; n=0; while [ ! -e ${JSON.stringify(stopFile)} ] || [ $n -lt 2 ]; do echo 3 > /proc/sys/vm/drop_caches; sha256sum "$@" > /dev/null; n=$((n+1)); done; echo passes=$n`, 'reader', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  let readerOut = '';
  reader.stdout.on('data', (d: Buffer) => { readerOut += d.toString(); });
  reader.stderr.on('data', (d: Buffer) => { readerOut += d.toString(); });
  const readerExit = new Promise<number>((resolve) => reader.once('exit', (code) => resolve(code ?? -1)));
  c.killNode(leadNode);
  const newLead = await waitFor('a new leader', () => { const l = leader(c); return l !== undefined && l !== lead ? l : undefined; }, 180_000, 1_000);
  assert.notEqual(nodeOf(c.pods(newLead)[0]), leadNode);
  await waitFor(`${leadNode} NotReady`, () => !c.nodeReady(leadNode) || undefined, 180_000, 1_000);
  (await import('node:fs')).writeFileSync(stopFile, '');
  assert.equal(await readerExit, 0, `the reader saw no error: ${readerOut}`);
  assert.match(readerOut, /passes=\d+/);
  assert.equal((await fuseBytes(fuseMetrics))['errors'], 0, 'the FUSE answered no read with EIO');
  assert.deepEqual(await shaTree(mountPath), want, 'after the failover the data still matches');

  // Deleting the application unstages its volume: the label goes (fuse.cleanPolicy OnDemand), and the FUSE pod goes.
  c.kubectl(['delete', 'pod', 'hbase-app', '--timeout=120s']);
  await waitFor('the FUSE label removed', () => labelled().length === 0 || undefined, 60_000, 1_000);
  await waitFor('the FUSE pod gone', () => c.pods('hbase-fuse-').length === 0 || undefined, 120_000, 1_000);
});

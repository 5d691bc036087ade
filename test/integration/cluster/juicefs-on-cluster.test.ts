// Seed 003 on the 3-node cluster (scripts/kube-cluster.sh, the cluster harness) with the real JuiceFS
// client: Redis (with a password) as the metadata engine and s3rver as the object store, both on the
// cluster's host-address, which the node hosts reach over the bridge. The JuiceFS file system "test"
// is formatted and filled from the host beforehand (a direct `juicefs mount`). Seed 003's Dataset
// (juicefs:///demo, options.bucket) and JuiceFSRuntime (1 worker, MEM tier, quota 40960 Mi) with a
// Secret holding the metaurl: the Dataset reaches Bound; the worker runs on one node and the FUSE
// client, placed by the runtime's fuse label as Fluid's CSI plugin does, on another; every engine
// pod listens on its node's address. The FUSE mount on its node serves the files (sha256).
//
// What serves the warm re-read: JuiceFS CE has no distributed cache (cache groups, where clients
// fetch blocks from each other, are JuiceFS Enterprise; the CE 1.3 `juicefs mount` has no such
// flag). Every CE client caches blocks only in its own --cache-dir. In Fluid's JuiceFSRuntime CE the
// worker is a cache-warming mount whose cache dir is the tier hostPath of its node, which a FUSE
// client on the same node shares; a FUSE client on another node has its own cache dir there and the
// worker cannot serve it. So this test asserts what is true: the re-read is served by the block
// cache in the tier dir on the FUSE's node (its hits rise, nothing is fetched from the object
// store), and the worker on the other node serves none of it (its cache and object counters stay).
//
// Deleting the runtime unmounts everything and stops every juicefs process on every node; the data
// (in S3) and the metadata (in Redis) stay: a fresh direct mount with an empty cache reads them back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropPageCache, isMountpoint, tempDir, waitFor } from '../../support/proc.js';
import { startS3 } from '../../support/servers.js';
import { formatJuiceFS, juicefsProcs, metric, mountJuiceFS, mountsUnder, startRedis } from '../../support/juicefs.js';
import { hbaseFixture, shaTree, totalSize } from '../orchestration/harness.js';
import { juicefsRuntimeYaml } from '../juicefs/manifests.js';
import { isReady, readyPods, upCluster, type Cluster, type ClusterPod } from './cluster-harness.js';

const cleanups: (() => void | Promise<void>)[] = [];
const scope = { after: (fn: () => void | Promise<void>): void => { cleanups.push(fn); } };
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const NODES = ['fluid-node-1', 'fluid-node-2', 'fluid-node-3'];
const nodeOf = (p: ClusterPod | undefined): string => p?.spec.nodeName ?? '';

let cluster: Cluster;

before(() => {
  cluster = upCluster(scope, tempDir(scope, 'fluid-jfs-cluster-'), 3);
});

/** GET bytes the client fetched from the object store (juicefs_object_request_data_bytes{method="GET"}). */
function objectGetBytes(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('juicefs_object_request_data_bytes{') && l.includes('method="GET"'))
    .reduce((a, l) => a + Number(l.trim().split(/\s+/).pop()), 0);
}

/** Command lines of the `fluid engine juicefs` processes on this machine (every node host shares /proc). */
function engineCommandLines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(' engine juicefs --config ')) out.push(cmd);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The JuiceFS pods' container logs as the node agents write them (`kubectl logs` has no kubelet endpoint on this cluster). */
function podLogs(dir: string): string[] {
  const files = spawnSync('find', [dir, '-path', '*/pods/default/jfsdemo-*', '-name', '*.log'], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f !== '');
  assert.ok(files.length >= 2, `the worker's and the FUSE's logs: ${files.join(', ')}`);
  return files.map((f) => readFileSync(f, 'utf8'));
}

async function metricsOf(address: string): Promise<string> {
  const res = await fetch(`http://${address}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

test('seed 003 on 3 nodes: JuiceFS worker and FUSE on different nodes, Redis and S3 on the host address; the FUSE serves the data, its own node cache serves the re-read, deleting the runtime leaves no mount or process on any node and keeps the data', { timeout: 1_200_000 }, async () => {
  const c = cluster;
  const host = c.hostAddress;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const redis = await startRedis(scope, password, host);
  const s3 = await startS3(scope, ['jfs'], { host });
  const keys = { ACCESS_KEY: s3.accessKeyId, SECRET_KEY: s3.secretAccessKey };
  const work = tempDir(scope, 'fluid-jfs-cl-');
  chmodSync(work, 0o755);
  const bucket = `${s3.endpoint}/jfs`;

  // ---- the JuiceFS file system "test" holding /demo/hbase/..., written from the host beforehand
  const src = join(work, 'src');
  const want = await hbaseFixture(src);
  const ufsBytes = totalSize(join(src, 'hbase'));
  formatJuiceFS(redis.url(1), 'test', bucket, { META_PASSWORD: password, ...keys }, 's3');
  const direct = await mountJuiceFS(scope, redis.url(1), join(work, 'direct'), join(work, 'direct-cache'), [], { META_PASSWORD: password });
  cpSync(join(src, 'hbase'), join(direct.mountPath, 'demo', 'hbase'), { recursive: true });
  await direct.stop();

  // ---- seed 003's manifests, the metaurl from a Secret
  c.kubectl(['create', '-f', '-'], `
apiVersion: v1
kind: Secret
metadata:
  name: jfs-secret
type: Opaque
stringData:
  metaurl: "${redis.url(1, password)}"
---
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: jfsdemo
spec:
  mounts:
    - name: test
      mountPoint: "juicefs:///demo"
      options:
        bucket: "${bucket}"
        storage: s3
      encryptOptions:
        - name: metaurl
          valueFrom:
            secretKeyRef:
              name: jfs-secret
              key: metaurl
${juicefsRuntimeYaml('jfsdemo')}`);
  const [worker] = await readyPods(c, 'jfsdemo-worker-', 1);
  const workerNode = nodeOf(worker);
  await waitFor('dataset jfsdemo Bound', () => c.table(['get', 'dataset', 'jfsdemo'])[0]?.['PHASE'] === 'Bound' || undefined, 240_000, 1_000);

  // The FUSE client's node: not the worker's (nor the controllers', when a third node is left). It is
  // placed by the runtime's fuse label, as Fluid's CSI plugin does when an application pod lands there.
  const ctlNode = c.json<{ items: ClusterPod[] }>(['get', 'pods', '-n', 'fluid-system', '-l', 'app=fluid-controllers']).items[0]?.spec.nodeName;
  const fuseNode = NODES.find((n) => n !== workerNode && n !== ctlNode) ?? NODES.find((n) => n !== workerNode) ?? '';
  c.kubectl(['label', 'node', fuseNode, 'fluid.io/f-default-jfsdemo=true', '--overwrite']);
  const fuse = await waitFor(`a Ready JuiceFS FUSE pod on ${fuseNode}`, () => c.pods('jfsdemo-fuse-').find((p) => nodeOf(p) === fuseNode && isReady(p)), 240_000, 1_000);
  assert.notEqual(workerNode, fuseNode, 'the worker and the FUSE client run on different nodes');
  assert.deepEqual(c.pods('jfsdemo-fuse-').map(nodeOf), [fuseNode], 'the only FUSE client is on the labelled node');

  // Every engine pod listens on its own node's address (--host $(HOST_IP)), not on a wildcard; the
  // controller and the test reach it at the pod's hostIP and the runtime's allocated port.
  const ports = JSON.parse(c.json<{ metadata: { annotations: Record<string, string> } }>(['get', 'juicefsruntime', 'jfsdemo']).metadata.annotations['fluid.io/ports'] ?? '{}') as { worker: number[]; fuse: number };
  const workerAddr = `${worker?.status?.hostIP ?? ''}:${ports.worker[0] ?? 0}`;
  const fuseAddr = `${fuse.status?.hostIP ?? ''}:${ports.fuse}`;
  assert.equal(worker?.status?.hostIP, c.nodeAddress(workerNode));
  assert.equal(fuse.status?.hostIP, c.nodeAddress(fuseNode));
  const engines = engineCommandLines();
  assert.ok(engines.some((l) => l.includes('jfsdemo-worker-0') && l.includes(`--host ${c.nodeAddress(workerNode)}`)), `the worker binds ${workerNode}'s address: ${engines.join('\n')}`);
  assert.ok(engines.some((l) => l.includes('fuse.json') && l.includes(`--host ${c.nodeAddress(fuseNode)}`)), `the FUSE binds ${fuseNode}'s address: ${engines.join('\n')}`);

  // ---- the FUSE mount on its node serves the files written beforehand
  const mp = c.fluid(['mount-path', 'jfsdemo', '--node', fuseNode, '--kubeconfig', c.kubeconfig]);
  assert.equal(mp.code, 0, mp.stderr);
  const root = mp.stdout.trim();
  assert.ok(root.startsWith(join(c.dir, 'nodes', fuseNode)), `the mount lives under ${fuseNode}'s own directory: ${root}`);
  assert.ok(isMountpoint(root), `${root} is mounted`);
  assert.deepEqual(await shaTree(join(root, 'hbase')), want, `the data read through the FUSE client on ${fuseNode} matches by sha256`);

  // One juicefs mount per pod, each under its own node's directory; no password on a command line.
  const procs = juicefsProcs(c.dir);
  assert.ok(procs.some((l) => l.includes(join(c.dir, 'nodes', fuseNode)) && l.includes('juicefs-fuse')), procs.join('\n'));
  assert.ok(procs.some((l) => l.includes(join(c.dir, 'nodes', workerNode)) && l.includes('/worker/jfsdemo-worker-0')), procs.join('\n'));
  assert.ok(!procs.some((l) => l.includes(password)), 'no password on any juicefs command line');

  // ---- the warm re-read: served by the block cache in the tier dir on the FUSE's node
  await waitFor('the FUSE client cached every block it read', async () => metric(await metricsOf(fuseAddr), 'juicefs_blockcache_bytes') >= ufsBytes || undefined, 120_000, 1_000);
  const fuseBefore = await metricsOf(fuseAddr);
  const workerBefore = await metricsOf(workerAddr);
  assert.ok(dropPageCache(), 'the kernel page cache can be dropped');
  assert.deepEqual(await shaTree(join(root, 'hbase')), want, 'the warm read matches by sha256');
  const fuseAfter = await metricsOf(fuseAddr);
  const workerAfter = await metricsOf(workerAddr);
  const hitBytes = metric(fuseAfter, 'juicefs_blockcache_hit_bytes') - metric(fuseBefore, 'juicefs_blockcache_hit_bytes');
  assert.ok(hitBytes >= ufsBytes, `the FUSE's block cache served the warm read: ${hitBytes} of ${ufsBytes} bytes`);
  assert.equal(metric(fuseAfter, 'juicefs_blockcache_miss') - metric(fuseBefore, 'juicefs_blockcache_miss'), 0, 'no block cache miss on the warm read');
  assert.equal(objectGetBytes(fuseAfter) - objectGetBytes(fuseBefore), 0, 'nothing fetched from the object store on the warm read');
  for (const m of ['juicefs_blockcache_hits', 'juicefs_blockcache_miss', 'juicefs_blockcache_hit_bytes']) {
    assert.equal(metric(workerAfter, m) - metric(workerBefore, m), 0, `${m}: the worker on ${workerNode} serves no read of the FUSE on ${fuseNode} (JuiceFS CE has no shared cache)`);
  }
  const cacheDirOf = (needle: string): string => /--cache-dir=(\S+)/.exec(procs.find((l) => l.includes(needle)) ?? '')?.[1] ?? '';
  const fuseCache = cacheDirOf('juicefs-fuse');
  const workerCache = cacheDirOf('/worker/jfsdemo-worker-0');
  assert.ok(fuseCache !== '' && workerCache !== '' && fuseCache !== workerCache, `one MEM tier dir per node: FUSE ${fuseCache}, worker ${workerCache}`);
  assert.ok(fuseCache.startsWith('/dev/shm/'), `the FUSE caches in its node's MEM tier: ${fuseCache}`);

  // ---- status from JuiceFS itself, through the pods on both nodes
  const ds = await waitFor('dataset fileNum and cacheHitRatio from JuiceFS', () => {
    const o = c.json<{ status?: { fileNum?: string; ufsTotal?: string; cacheStates?: Record<string, string> } }>(['get', 'dataset', 'jfsdemo']);
    return o.status?.fileNum === String(want.size) && (o.status.cacheStates?.['cacheHitRatio'] ?? '0.0%') !== '0.0%' ? o : undefined;
  }, 120_000, 1_000);
  assert.match(ds.status?.ufsTotal ?? '', /MiB$/);
  const wide = c.table(['get', 'juicefsruntime', 'jfsdemo', '-o', 'wide'])[0];
  assert.equal(wide?.['WORKER PHASE'], 'Ready');
  assert.equal(wide?.['READY WORKERS'], '1');
  const shown = [c.kubectl(['get', 'juicefsruntime', 'jfsdemo', '-o', 'yaml']), c.kubectl(['get', 'dataset', 'jfsdemo', '-o', 'yaml']), c.kubectl(['get', 'events', '-o', 'yaml']),
    c.kubectl(['get', 'configmap', 'jfsdemo-engine-config', '-o', 'yaml']), c.kubectl(['get', 'pods', '-o', 'yaml']),
    ...podLogs(c.dir)].join('\n');
  assert.ok(!shown.includes(password), 'the metaurl password is shown nowhere');

  // ---- deleting the runtime: no mount, no juicefs process on any node; data and metadata stay
  c.kubectl(['delete', 'juicefsruntime', 'jfsdemo', '--wait=false']);
  await waitFor('the JuiceFSRuntime and its pods gone', () => (c.pods('jfsdemo-').length === 0 && !c.kubectl(['get', 'juicefsruntime']).includes('jfsdemo')) || undefined, 240_000, 1_000);
  await waitFor('no juicefs process on any node', () => juicefsProcs(c.dir).length === 0 || undefined, 60_000, 500);
  assert.deepEqual(mountsUnder(c.dir), [], 'nothing is mounted under any node');
  assert.equal(isMountpoint(root), false);
  c.kubectl(['delete', 'dataset', 'jfsdemo', '--ignore-not-found']);
  const again = await mountJuiceFS(scope, redis.url(1), join(work, 'direct'), join(work, 'direct-cache-2'), [], { META_PASSWORD: password });
  assert.deepEqual(await shaTree(join(again.mountPath, 'demo', 'hbase')), want, 'the data (S3) and metadata (Redis) stay: read back with an empty cache');
  await again.stop();
});

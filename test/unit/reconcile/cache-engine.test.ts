import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MasterConfig, WorkerConfig, FuseConfig } from '../../../src/api/engine-config.js';
import { ALLUXIO, JINDO, cacheEngine } from '../../../src/core/reconcile/cache-engine.js';
import type { PlanInput } from '../../../src/core/reconcile/runtime-engine.js';
import { extendPorts, parsePorts, portsNeeded } from '../../../src/core/reconcile/port-allocation.js';
import { fuseDaemonSet, statefulSet } from '../../../src/core/workloads/templates.js';
import { daemonSetPod, ordinalOf, statefulSetPod } from '../../../src/core/workloads/pods.js';

const layout = { hostRoot: '/home/f', shmRoot: '/dev/shm/fluid-abc', host: '127.0.0.1' };
const hbase = { name: 'hbase', namespace: 'default', mounts: [{ mountPoint: 'https://example.org/hbase/stable/', name: 'hbase' }] };

function input(spec: Record<string, unknown>, kind = 'AlluxioRuntime', dataset: PlanInput['dataset'] = hbase): PlanInput {
  return { kind, namespace: 'default', name: dataset.name, spec, dataset, ports: { master: [20001, 20002, 20003], worker: [20011, 20012], fuse: 20021 }, layout, masterHosts: ['127.0.0.1', '127.0.0.1', '127.0.0.1'] };
}

const seed001 = { replicas: 2, tieredstore: { levels: [{ mediumtype: 'MEM', path: '/dev/shm', quota: '2Gi', high: '0.95', low: '0.7' }] }, master: { replicas: 3 } };

test('GIVEN seed 001 AlluxioRuntime WHEN planned THEN 3 peered masters, 2 workers with MEM tiers under shm, fuse under runtime-mnt', () => {
  const r = cacheEngine(ALLUXIO).plan(input(seed001));
  assert.ok(r.ok);
  const p = r.plan;
  assert.equal(p.master?.replicas, 3);
  assert.equal(p.worker?.replicas, 2);
  const m0 = JSON.parse(p.configs['hbase-master-0.json'] ?? '') as MasterConfig;
  assert.deepEqual(m0.peers.map((x) => x.address), ['127.0.0.1:20001', '127.0.0.1:20002', '127.0.0.1:20003']);
  assert.equal(m0.port, 20001);
  const w1 = JSON.parse(p.configs['hbase-worker-1.json'] ?? '') as WorkerConfig;
  assert.equal(w1.port, 20012);
  assert.deepEqual(w1.tiers[0]?.paths, ['/dev/shm/fluid-abc/default/hbase/tier-0-0/hbase-worker-1']);
  assert.deepEqual(w1.tiers[0]?.quotas, [2 * 2 ** 30]);
  assert.equal(w1.tiers[0]?.high, 0.95);
  const fuse = JSON.parse(p.configs['fuse.json'] ?? '') as FuseConfig;
  assert.equal(fuse.mountPath, '/home/f/runtime-mnt/alluxio/default/hbase/alluxio-fuse');
  assert.equal(p.mountPath, fuse.mountPath);
  assert.equal(p.mountType, 'fuse.alluxio-fuse');
  assert.equal(p.cacheCapacityBytes, 4 * 2 ** 30);
  assert.deepEqual(p.unsupported, []);
  assert.deepEqual(p.master?.container.args, ['engine', 'master', '--config', '/etc/fluid/$(POD_NAME).json', '--host', '$(HOST_IP)', '--node-name', '$(NODE_NAME)']);
  assert.deepEqual(p.master?.container.env?.map((e) => `${e.name}=${e.valueFrom?.fieldRef?.fieldPath ?? ''}`), ['POD_NAME=metadata.name', 'HOST_IP=status.hostIP', 'NODE_NAME=spec.nodeName']);
});

test('GIVEN seed 000 JindoRuntime with a PVC meta dir WHEN planned THEN the journal lives on the PVC volume mount', () => {
  const spec = {
    replicas: 2,
    volumes: [{ name: 'meta-vol', persistentVolumeClaim: { claimName: 'demo-jindo-master-meta' } }],
    master: { volumeMounts: [{ name: 'meta-vol', mountPath: '/root/jindofsx-meta' }], properties: { 'namespace.meta-dir': '/root/jindofsx-meta' } },
    tieredstore: { levels: [{ mediumtype: 'MEM', path: '/dev/shm', volumeType: 'emptyDir', quota: '12Gi', high: '0.99', low: '0.99' }] },
  };
  const ds = { name: 'demo', namespace: 'default', mounts: [{ mountPoint: 'oss://b/dir', name: 'demo', path: '/', options: { 'fs.oss.endpoint': 'e' },
    encryptOptions: [{ name: 'fs.oss.accessKeyId', valueFrom: { secretKeyRef: { name: 'access-key', key: 'fs.oss.accessKeyId' } } }] }] };
  const r = cacheEngine(JINDO).plan({ ...input(spec, 'JindoRuntime', ds), ports: { master: [1], worker: [2, 3], fuse: 4 } });
  assert.ok(r.ok);
  const m0 = JSON.parse(r.plan.configs['demo-jindofs-master-0.json'] ?? '') as MasterConfig;
  assert.equal(m0.journalDir, '/root/jindofsx-meta/demo-jindofs-master-0');
  assert.deepEqual(m0.peers, []);
  assert.ok(r.plan.master?.volumes.some((v) => v.persistentVolumeClaim?.claimName === 'demo-jindo-master-meta'));
  assert.equal(r.plan.mountPath, '/home/f/runtime-mnt/jindo/default/demo/jindofs-fuse');
  assert.deepEqual(m0.mounts[0]?.encryptOptionFiles, { 'fs.oss.accessKeyId': '/var/run/fluid/secrets/access-key/fs.oss.accessKeyId' });
  assert.deepEqual(r.plan.secretRefs.map((s) => `${s.secret}/${s.key}`), ['access-key/fs.oss.accessKeyId']);
  for (const text of Object.values(r.plan.configs)) assert.ok(!text.includes('secretKeyRef'));
});

test('GIVEN settings we do not honour WHEN planned THEN they are listed as unsupported, not dropped silently', () => {
  const r = cacheEngine(ALLUXIO).plan(input({ ...seed001, master: { replicas: 1, jvmOptions: ['-Xmx4G'] }, fuse: { image: 'x' }, alluxioVersion: { image: 'y' } }));
  assert.ok(r.ok);
  assert.deepEqual([...r.plan.unsupported].sort(), ['spec.alluxioVersion', 'spec.fuse.image', 'spec.master.jvmOptions']);
});

test('GIVEN a bad quota or missing tieredstore THEN the plan fails naming the field', () => {
  const bad = cacheEngine(ALLUXIO).plan(input({ ...seed001, tieredstore: { levels: [{ mediumtype: 'MEM', path: '/dev/shm', quota: 'lots' }] } }));
  assert.ok(!bad.ok);
  assert.match(bad.message, /spec\.tieredstore\.levels\[0\]\.quota/);
  const none = cacheEngine(ALLUXIO).plan(input({ replicas: 1 }));
  assert.ok(!none.ok);
  assert.match(none.message, /spec\.tieredstore\.levels/);
  const vm = cacheEngine(ALLUXIO).plan(input({ ...seed001, master: { volumeMounts: [{ name: 'nope', mountPath: '/x' }] } }));
  assert.ok(!vm.ok);
  assert.match(vm.message, /spec\.master\.volumeMounts\[0\]\.name/);
});

test('GIVEN an allocation WHEN replicas grow THEN existing ports are kept and only new ones are taken', () => {
  assert.equal(portsNeeded(undefined, { master: 1, worker: 2 }), 4);
  const a = extendPorts(undefined, { master: 1, worker: 2 }, [1, 2, 3, 4]);
  assert.deepEqual(a, { master: [2], worker: [3, 4], fuse: 1 });
  assert.equal(portsNeeded(a, { master: 1, worker: 3 }), 1);
  assert.deepEqual(extendPorts(a, { master: 1, worker: 3 }, [9]).worker, [3, 4, 9]);
  assert.deepEqual(parsePorts(JSON.stringify(a)), a);
  assert.equal(parsePorts('{"master":"x"}'), undefined);
});

test('GIVEN the plan WHEN workloads are built THEN names, node selector and pod names follow seed 003', () => {
  const r = cacheEngine(ALLUXIO).plan(input(seed001));
  assert.ok(r.ok && r.plan.master && r.plan.worker);
  const rt = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', name: 'hbase', namespace: 'default', uid: 'u1' };
  const sts = statefulSet(rt, 'master', r.plan.master);
  assert.equal(sts.metadata.name, 'hbase-master');
  assert.equal(sts.metadata.ownerReferences?.[0]?.uid, 'u1');
  const ds = fuseDaemonSet(rt, r.plan.fuse);
  assert.deepEqual(ds.spec.template.spec.nodeSelector, { 'fluid.io/f-default-hbase': 'true' });
  const pod = statefulSetPod({ ...sts, metadata: { ...sts.metadata, uid: 's1' } }, 2, 'node1');
  assert.equal(pod.metadata.name, 'hbase-master-2');
  assert.equal(pod.spec.nodeName, 'node1');
  assert.equal(ordinalOf('hbase-master', 'hbase-master-2'), 2);
  assert.equal(ordinalOf('hbase-master', 'hbase-master-x'), undefined);
  assert.equal(daemonSetPod(ds, 'ab12c', 'node1').metadata.name, 'hbase-fuse-ab12c');
});


test('GIVEN a JindoRuntime and an AlluxioRuntime THEN workloads have Fluid names: <name>-jindofs-master|worker|fuse and <name>-master|worker|fuse', () => {
  const tpl = { replicas: 1, container: { name: 'c', image: 'i' }, volumes: [] };
  const jindo = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'JindoRuntime', name: 'demo', namespace: 'default', uid: 'u' };
  const alluxio = { ...jindo, kind: 'AlluxioRuntime', name: 'hbase' };
  assert.deepEqual([statefulSet(jindo, 'master', tpl), statefulSet(jindo, 'worker', tpl), fuseDaemonSet(jindo, tpl)].map((o) => o.metadata.name), ['demo-jindofs-master', 'demo-jindofs-worker', 'demo-jindofs-fuse']);
  assert.deepEqual([statefulSet(alluxio, 'master', tpl), statefulSet(alluxio, 'worker', tpl), fuseDaemonSet(alluxio, tpl)].map((o) => o.metadata.name), ['hbase-master', 'hbase-worker', 'hbase-fuse']);
});

test('GIVEN a changed Dataset mountPoint WHEN planned again THEN the pod templates carry another mounts hash (pods roll); a scale does not change it', () => {
  const a = cacheEngine(ALLUXIO).plan(input(seed001));
  const b = cacheEngine(ALLUXIO).plan(input(seed001, 'AlluxioRuntime', { ...hbase, mounts: [{ mountPoint: 'https://example.org/other/', name: 'hbase' }] }));
  const c = cacheEngine(ALLUXIO).plan(input({ ...seed001, replicas: 1 }));
  assert.ok(a.ok && b.ok && c.ok);
  const hash = (p: typeof a): string | undefined => (p.ok ? p.plan.fuse.annotations?.['fluid.io/mounts-hash'] : undefined);
  assert.match(hash(a) ?? '', /^[0-9a-f]{8}$/);
  assert.notEqual(hash(a), hash(b));
  assert.equal(hash(a), hash(c));
  assert.equal(a.plan.master?.annotations?.['fluid.io/mounts-hash'], hash(a));
});

test('GIVEN ports held by other runtimes WHEN allocating from the range THEN only free ports are taken, wrapping around from the start', async () => {
  const { allocatePorts, parsePortRange, PortRangeExhaustedError } = await import('../../../src/core/reconcile/port-allocation.js');
  const range = parsePortRange('20000-20004');
  assert.deepEqual(allocatePorts(range, new Set([20003]), 3, 3), [20004, 20000, 20001]);
  assert.deepEqual(allocatePorts(range, new Set(), 2, -1), [20004, 20000]);
  assert.deepEqual(allocatePorts(range, new Set(), 2, 0, (p) => p % 2 === 0), [20000, 20002]);
  assert.throws(() => allocatePorts(range, new Set([20000, 20001]), 4, 0), (e: unknown) => e instanceof PortRangeExhaustedError && e.free === 3 && /20000-20004 has 3 free/.test(e.message));
  assert.throws(() => parsePortRange('26000-20000'), /--runtime-port-range: expected MIN-MAX/);
  assert.throws(() => parsePortRange('abc'), /got "abc"/);
});

test('GIVEN 3 masters placed on different nodes WHEN planned THEN Raft peers, workers and FUSE name each master at its node address', () => {
  const r = cacheEngine(ALLUXIO).plan({ ...input(seed001), masterHosts: ['10.1.0.12', '10.1.0.13', '10.1.0.11'] });
  assert.ok(r.ok);
  const m1 = JSON.parse(r.plan.configs['hbase-master-1.json'] ?? '') as MasterConfig;
  assert.deepEqual(m1.peers, [{ id: 'hbase-master-0', address: '10.1.0.12:20001' }, { id: 'hbase-master-1', address: '10.1.0.13:20002' }, { id: 'hbase-master-2', address: '10.1.0.11:20003' }]);
  assert.equal(m1.host, '10.1.0.13');
  const w0 = JSON.parse(r.plan.configs['hbase-worker-0.json'] ?? '') as WorkerConfig;
  assert.deepEqual(w0.masters, ['10.1.0.12:20001', '10.1.0.13:20002', '10.1.0.11:20003']);
  assert.deepEqual((JSON.parse(r.plan.configs['fuse.json'] ?? '') as FuseConfig).masters, w0.masters);
});

test('GIVEN a Raft group not all placed WHEN planned THEN no config names a master address yet (the pods wait for their key)', () => {
  const r = cacheEngine(ALLUXIO).plan({ ...input(seed001), masterHosts: ['10.1.0.12', undefined, '10.1.0.11'] });
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.plan.configs), []);
  const none = cacheEngine(ALLUXIO).plan({ ...input(seed001), masterHosts: undefined });
  assert.ok(none.ok);
  assert.deepEqual(Object.keys(none.plan.configs), []);
});

test('GIVEN one master not placed yet WHEN planned THEN its own config is written (it needs no address), workers and FUSE wait', () => {
  const r = cacheEngine(ALLUXIO).plan({ ...input({ ...seed001, master: { replicas: 1 } }), masterHosts: [] });
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.plan.configs), ['hbase-master-0.json']);
});

test('GIVEN a master or worker group WHEN templated THEN at most one pod per node (required anti-affinity on kubernetes.io/hostname), started in parallel', () => {
  const r = cacheEngine(ALLUXIO).plan(input(seed001));
  assert.ok(r.ok && r.plan.master && r.plan.worker);
  const ref = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', name: 'hbase', namespace: 'default', uid: 'u' };
  for (const role of ['master', 'worker'] as const) {
    const sts = statefulSet(ref, role, role === 'master' ? r.plan.master : r.plan.worker);
    assert.equal(sts.spec.podManagementPolicy, 'Parallel');
    assert.deepEqual(sts.spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      [{ labelSelector: { matchLabels: sts.spec.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname' }]);
  }
});

test('GIVEN a Dataset with dataRestoreLocation WHEN planned THEN the masters get the backup volume read-only, its file in their config, and local:// with nodeName pins them to that node', () => {
  const pvc = cacheEngine(ALLUXIO).plan(input(seed001, 'AlluxioRuntime', { ...hbase, dataRestoreLocation: { path: 'pvc://backups/hb' } }));
  assert.ok(pvc.ok);
  const m0 = JSON.parse(pvc.plan.configs['hbase-master-0.json'] ?? '') as MasterConfig;
  assert.deepEqual(m0.restore, { file: '/fluid-restore/hb/metadata-backup-hbase-default.json', location: 'pvc://backups/hb' });
  assert.deepEqual(pvc.plan.master?.volumes.find((v) => v.name === 'restore'), { name: 'restore', persistentVolumeClaim: { claimName: 'backups' } });
  assert.deepEqual(pvc.plan.master?.container.volumeMounts?.find((v) => v.name === 'restore'), { name: 'restore', mountPath: '/fluid-restore', readOnly: true });
  assert.equal(pvc.plan.master?.nodeSelector, undefined);
  const w0 = JSON.parse(pvc.plan.configs['hbase-worker-0.json'] ?? '') as Record<string, unknown>;
  assert.equal(w0['restore'], undefined);

  const local = cacheEngine(ALLUXIO).plan(input(seed001, 'AlluxioRuntime', { ...hbase, dataRestoreLocation: { path: 'local:///backups/x/', nodeName: 'node-2' } }));
  assert.ok(local.ok);
  assert.deepEqual((JSON.parse(local.plan.configs['hbase-master-1.json'] ?? '') as MasterConfig).restore?.file, '/backups/x/metadata-backup-hbase-default.json');
  assert.deepEqual(local.plan.master?.volumes.find((v) => v.name === 'restore'), { name: 'restore', hostPath: { path: '/backups/x', type: 'Directory' } });
  const sts = statefulSet({ apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', name: 'hbase', namespace: 'default', uid: 'u' }, 'master', local.plan.master ?? assert.fail());
  assert.deepEqual(sts.spec.template.spec.nodeSelector, { 'kubernetes.io/hostname': 'node-2' });

  const wrong = cacheEngine(ALLUXIO).plan(input(seed001, 'AlluxioRuntime', { ...hbase, dataRestoreLocation: { path: 's3://bucket/x' } }));
  assert.equal(wrong.ok, false);
  assert.match(wrong.ok ? '' : wrong.message, /^dataset spec\.dataRestoreLocation\.path: "s3:\/\/bucket\/x" is not pvc:\/\/<claim>\/<path> or local:\/\/\/<path>/);
});

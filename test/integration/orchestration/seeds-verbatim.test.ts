// Seeds 000, 001 and 004 as a user runs them: every command verbatim (`sh -c` with the real
// kubectl, KUBECONFIG pointing at `fluid up`), in the seeds' order, with the seeds' names and
// files. Only the cloud-specific parts are substituted: OSS becomes s3rver (oss:// with
// fs.oss.endpoint on loopback), the Apache mirror becomes nginx, the MinIO Deployment becomes
// s3rver (and `mc cp` a PutObject), the goofys image becomes the s3fs parse script, the cloud
// disk becomes a local claim, and `alluxio fs masterInfo` becomes `fluid master-info`.
// The expected outputs are the seeds' lines, columns and phases.
//
// Application pods (seed 000's and 001's nginx, seed 004's test-minio) run as the node agent runs
// them: host processes in a private mount namespace with the dataset PVC mounted at /data through
// the CSI plugin; `kubectl exec` (WebSocket) and `kubectl logs` reach them. Seed 001's test Job
// stays todo: the embedded API server serves no batch/v1 Job; its command runs through
// `kubectl exec` in the nginx pod instead.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { formatBytes } from '../../../src/api/quantity.js';
import { cliEntry, tempDir, waitFor } from '../../support/proc.js';
import { startS3 } from '../../support/servers.js';
import { s3fsScript } from '../thin/launcher-harness.js';
import { serveHbase, shaTree, startControlPlane, table, totalSize, type ControlPlane } from './harness.js';

const NO_JOBS = 'batch/v1 Job is not served by the embedded API server (no Job controller)';

interface Shell {
  /** Runs a seed command line with sh; returns stdout, throws with stderr on a non-zero exit. */
  run(cmd: string): string;
  /** Runs it and returns the exit code and both streams. */
  try(cmd: string): { code: number; stdout: string; stderr: string };
}

/** sh in `cwd` with the real kubectl and a `fluid` command (this build's CLI) for the control plane at cp.home. */
function shell(cp: ControlPlane, cwd: string): Shell {
  const bin = join(cwd, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'fluid'), `#!/bin/sh\nexec "${process.execPath}" "${cliEntry}" "$@"\n`, { mode: 0o755 });
  const env = { ...process.env, KUBECONFIG: cp.kubeconfig, FLUID_HOME: cp.home, PATH: `/usr/bin:${bin}:${process.env['PATH'] ?? ''}` };
  const exec = (cmd: string): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync('sh', ['-c', cmd], { cwd, encoding: 'utf8', timeout: 120_000, env });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    try: exec,
    run(cmd) {
      const r = exec(cmd);
      if (r.code !== 0) throw new Error(`${cmd} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
  };
}

/** Polls a kubectl table until a row satisfies `pred`; returns that row. */
async function waitRow(sh: Shell, cmd: string, pred: (row: Record<string, string>) => boolean, what: string, timeoutMs = 180_000): Promise<Record<string, string>> {
  return waitFor(what, () => table(sh.run(cmd)).find(pred), timeoutMs, 500);
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

async function seed000(t: TestContext, cp: ControlPlane, sh: Shell, s3: { endpoint: string; accessKeyId: string; secretAccessKey: string }, dir: string): Promise<void> {
  writeFileSync(join(dir, 'pvc.yaml'), `apiVersion: v1
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
`);
  writeFileSync(join(dir, 'secret.yaml'), `apiVersion: v1
kind: Secret
metadata:
  name: access-key
stringData:
  fs.oss.accessKeyId: ${s3.accessKeyId}
  fs.oss.accessKeySecret: ${s3.secretAccessKey}
`);
  writeFileSync(join(dir, 'dataset.yaml'), `apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: demo
spec:
  mounts: 
    - mountPoint: oss://demo-bucket/data
      name: demo
      path: /
      options:
        fs.oss.endpoint: ${s3.endpoint}
      encryptOptions:
        - name: fs.oss.accessKeyId
          valueFrom:
            secretKeyRef:
              name: access-key
              key: fs.oss.accessKeyId
        - name: fs.oss.accessKeySecret
          valueFrom:
            secretKeyRef:
              name: access-key
              key: fs.oss.accessKeySecret
---
apiVersion: data.fluid.io/v1alpha1
kind: JindoRuntime
metadata:
  name: demo
spec:
  replicas: 2
  volumes:
    - name: meta-vol
      persistentVolumeClaim:
        claimName: demo-jindo-master-meta
  master:
    volumeMounts:
      - name: meta-vol
        mountPath: /root/jindofsx-meta
    properties:
      namespace.meta-dir: "/root/jindofsx-meta"
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        volumeType: emptyDir
        quota: 12Gi
        high: "0.99"
        low: "0.99"
`);
  writeFileSync(join(dir, 'pod.yaml'), `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: registry.openanolis.cn/openanolis/nginx:1.14.1-8.6
      volumeMounts:
        - mountPath: /data
          name: data-vol
  volumes:
    - name: data-vol
      persistentVolumeClaim:
        claimName: demo
`);
  let masterNode = '';
  await t.test('step 1: kubectl create -f pvc.yaml', () => {
    assert.equal(sh.run('kubectl create -f pvc.yaml').trim(), 'persistentvolumeclaim/demo-jindo-master-meta created');
  });
  await t.test('step 2: kubectl create -f secret.yaml; kubectl create -f dataset.yaml; kubectl get dataset -> Bound', async () => {
    assert.equal(sh.run('kubectl create -f secret.yaml').trim(), 'secret/access-key created');
    assert.deepEqual(lines(sh.run('kubectl create -f dataset.yaml')), ['dataset.data.fluid.io/demo created', 'jindoruntime.data.fluid.io/demo created']);
    const row = await waitRow(sh, 'kubectl get dataset', (r) => r['NAME'] === 'demo' && r['PHASE'] === 'Bound', 'demo Bound');
    assert.deepEqual(Object.keys(row), ['NAME', 'UFS TOTAL SIZE', 'CACHED', 'CACHE CAPACITY', 'CACHED PERCENTAGE', 'PHASE', 'AGE']);
    assert.equal(row['UFS TOTAL SIZE'], formatBytes(3 * 1024 + 20));
    assert.equal(row['CACHED'], '0.00B');
    assert.equal(row['CACHE CAPACITY'], '24.00GiB');
    assert.equal(row['CACHED PERCENTAGE'], '0.0%');
    // Fluid creates the same-named PVC for a Bound dataset.
    assert.equal(table(sh.run('kubectl get pvc demo'))[0]?.['STATUS'], 'Bound');
    // Events never carry the credentials of encryptOptions.
    const events = sh.run('kubectl get events -o json');
    assert.ok(JSON.parse(events).items.length > 0);
    assert.ok(!events.includes(s3.secretAccessKey), 'no secret value in any Event');
  });
  await t.test('step 3: kubectl create -f pod.yaml', () => {
    assert.equal(sh.run('kubectl create -f pod.yaml').trim(), 'pod/nginx created');
  });
  await t.test('step 3: kubectl exec -it nginx -- ls /data lists the bucket directory', async () => {
    await waitRow(sh, 'kubectl get pod nginx', (r) => r['STATUS'] === 'Running', 'nginx Running', 120_000);
    assert.deepEqual(lines(sh.run('kubectl exec -it nginx -- ls /data')), ['CHANGES.md', 'hbase-bin.tar.gz']);
  });
  await t.test('step 3: master node, taint, delete demo-jindofs-master-0', async () => {
    sh.run("master_node=$(kubectl get pod -o wide | awk '/demo-jindofs-master-0/ {print $7}') && echo \"$master_node\" > master_node");
    masterNode = sh.run('cat master_node').trim();
    assert.equal(masterNode, table(sh.run('kubectl get nodes'))[0]?.['NAME']);
    assert.equal(sh.run('kubectl taint node $(cat master_node) test-jindofs-master=reschedule:NoSchedule').trim(), `node/${masterNode} tainted`);
    const before = cp.json<{ metadata: { uid: string } }>(['get', 'pod', 'demo-jindofs-master-0'])?.metadata.uid;
    assert.equal(sh.run('kubectl delete pod demo-jindofs-master-0').trim(), 'pod "demo-jindofs-master-0" deleted');
    // One node here: the new master comes back on it (its metadata on the claim's volume).
    await waitRow(sh, 'kubectl get pod -o wide', (r) => r['NAME'] === 'demo-jindofs-master-0' && r['READY'] === '1/1' && cp.json<{ metadata: { uid: string } }>(['get', 'pod', 'demo-jindofs-master-0'])?.metadata.uid !== before, 'demo-jindofs-master-0 recreated and Ready');
    assert.deepEqual(lines(sh.run('kubectl delete -f pod.yaml && kubectl create -f pod.yaml')), ['pod "nginx" deleted', 'pod/nginx created']);
  });
  await t.test('step 3: kubectl exec -it nginx -- ls /data after the master moved', async () => {
    await waitRow(sh, 'kubectl get pod nginx', (r) => r['STATUS'] === 'Running', 'nginx Running', 120_000);
    assert.deepEqual(lines(sh.run('kubectl exec -it nginx -- ls /data')), ['CHANGES.md', 'hbase-bin.tar.gz']);
  });
  await t.test('step 4: cleanup', async () => {
    assert.equal(sh.run('kubectl delete -f pod.yaml').trim(), 'pod "nginx" deleted');
    assert.equal(sh.run('kubectl taint node $(cat master_node) test-jindofs-master-').trim(), `node/${masterNode} untainted`);
    assert.deepEqual(lines(sh.run('kubectl delete -f dataset.yaml')), ['dataset.data.fluid.io "demo" deleted', 'jindoruntime.data.fluid.io "demo" deleted']);
    await waitFor('demo gone', () => sh.try('kubectl get dataset demo').code !== 0 && sh.try('kubectl get jindoruntime demo').code !== 0, 120_000, 500);
    assert.equal(sh.run('kubectl delete -f pvc.yaml').trim(), 'persistentvolumeclaim "demo-jindo-master-meta" deleted');
  });
}

async function seed001(t: TestContext, sh: Shell, webUrl: string, ufsBytes: number, dir: string, www: string, home: string): Promise<void> {
  const work = join(dir, 'master-ha');
  mkdirSync(work);
  const ha = (cmd: string): string => sh.run(`cd master-ha && ${cmd}`);
  await t.test('create the Dataset: NotBound', async () => {
    ha(`cat<<EOF >dataset.yaml
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: hbase
spec:
  mounts:
    - mountPoint: ${webUrl}
      name: hbase
EOF`);
    assert.equal(ha('kubectl create -f dataset.yaml').trim(), 'dataset.data.fluid.io/hbase created');
    const row = await waitRow(sh, 'kubectl get dataset hbase', (r) => r['PHASE'] === 'NotBound', 'hbase NotBound', 60_000);
    assert.deepEqual([row['UFS TOTAL SIZE'], row['CACHED'], row['CACHE CAPACITY'], row['CACHED PERCENTAGE']], ['', '', '', '']);
  });
  await t.test('create the AlluxioRuntime with 3 masters: pods, Bound, -o wide, PV and PVC', async () => {
    ha(`cat<<EOF >runtime.yaml
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: hbase
spec:
  replicas: 2
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 2Gi
        high: "0.95"
        low: "0.7"
  master:
    replicas: 3
EOF`);
    assert.equal(ha('kubectl create -f runtime.yaml').trim(), 'alluxioruntime.data.fluid.io/hbase created');
    assert.equal(table(sh.run('kubectl get alluxioruntime'))[0]?.['NAME'], 'hbase');
    const podNames = await waitFor('masters, workers and fuse Running', () => {
      const rows = table(sh.run('kubectl get pod'));
      const running = rows.filter((r) => r['READY'] === '1/1' && r['STATUS'] === 'Running').map((r) => r['NAME'] ?? '');
      return running.length === 6 ? running.sort() : undefined;
    }, 180_000, 500);
    assert.deepEqual(podNames.filter((n) => !n.startsWith('hbase-fuse-')), ['hbase-master-0', 'hbase-master-1', 'hbase-master-2', 'hbase-worker-0', 'hbase-worker-1']);
    assert.match(podNames.find((n) => n.startsWith('hbase-fuse-')) ?? '', /^hbase-fuse-[a-z0-9]{5}$/);
    const ds = await waitRow(sh, 'kubectl get dataset hbase', (r) => r['PHASE'] === 'Bound' && r['UFS TOTAL SIZE'] === formatBytes(ufsBytes), 'hbase Bound with its UFS size');
    assert.deepEqual([ds['CACHED'], ds['CACHE CAPACITY'], ds['CACHED PERCENTAGE']], ['0.00B', '4.00GiB', '0.0%']);
    const wide = await waitRow(sh, 'kubectl get alluxioruntime hbase -o wide', (r) => r['MASTER PHASE'] === 'Ready' && r['WORKER PHASE'] === 'Ready' && r['FUSE PHASE'] === 'Ready', 'runtime phases Ready');
    // The seed's columns, in its order (current Fluid adds API GATEWAY before AGE).
    const seedColumns = ['NAME', 'READY MASTERS', 'DESIRED MASTERS', 'MASTER PHASE', 'READY WORKERS', 'DESIRED WORKERS', 'WORKER PHASE', 'READY FUSES', 'DESIRED FUSES', 'FUSE PHASE', 'AGE'];
    assert.deepEqual(Object.keys(wide).filter((k) => seedColumns.includes(k)), seedColumns);
    // One node here, so one FUSE (the seed's cluster has two).
    assert.deepEqual([wide['READY MASTERS'], wide['DESIRED MASTERS'], wide['READY WORKERS'], wide['DESIRED WORKERS'], wide['READY FUSES'], wide['DESIRED FUSES']], ['3', '3', '2', '2', '1', '1']);
    const pv = table(sh.run('kubectl get pv')).find((r) => r['CLAIM'] === 'default/hbase');
    assert.deepEqual([pv?.['NAME'], pv?.['RECLAIM POLICY'], pv?.['STATUS']], ['default-hbase', 'Retain', 'Bound']);
    const pvc = table(sh.run('kubectl get pvc')).find((r) => r['NAME'] === 'hbase');
    assert.deepEqual([pvc?.['STATUS'], pvc?.['VOLUME']], ['Bound', 'default-hbase']);
  });
  await t.test('masterInfo: three masters, one leader (fluid master-info for alluxio fs masterInfo)', () => {
    const out = lines(sh.run('fluid master-info hbase'));
    assert.match(out[0] ?? '', /^Current leader master: hbase-master-[012]:\d+$/);
    assert.match(out[1] ?? '', /^All masters: \[hbase-master-0:\d+, hbase-master-1:\d+, hbase-master-2:\d+\]$/);
  });
  await t.test('remote file access from the nginx pod: ls -1 /data/hbase', async () => {
    ha(`cat<<EOF >nginx.yaml
apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: nginx
      volumeMounts:
        - mountPath: /data
          name: hbase-vol
  volumes:
    - name: hbase-vol
      persistentVolumeClaim:
        claimName: hbase
EOF`);
    ha('kubectl create -f nginx.yaml');
    await waitRow(sh, 'kubectl get pod nginx', (r) => r['STATUS'] === 'Running', 'nginx Running', 120_000);
    const want = readdirSync(join(www, 'hbase')).sort();
    assert.deepEqual(lines(sh.run('kubectl exec -it nginx -- ls -1 /data/hbase')), want);
    // The seed's interactive session: kubectl exec -it nginx -- bash, then ls -1 /data/hbase, du -h, exit.
    const session = sh.run("printf 'ls -1 /data/hbase\\ndu -h /data/hbase/*\\nexit\\n' | kubectl exec -it nginx -- bash");
    const out = lines(session);
    assert.deepEqual(out.slice(0, want.length), want);
    assert.deepEqual(out.slice(want.length).map((l) => l.split(/\s+/)[1]), want.map((f) => `/data/hbase/${f}`));
  });
  await t.test("the test Job's command through kubectl exec: bash -c 'time cp -r /data/hbase ./' copies every byte", async () => {
    const r = sh.try("kubectl exec -it nginx -- bash -c 'time cp -r /data/hbase ./'");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /real\s/);
    // ./ is the pod's working directory (HOME/pods/<ns>/<pod>/workdir): the copy is byte-equal.
    const copied = await shaTree(join(home, 'pods', 'default', 'nginx', 'workdir', 'hbase'));
    assert.deepEqual([...copied].sort(), [...(await shaTree(join(www, 'hbase')))].sort());
  });
  await t.test('accelerated access: the fluid-copy-test Job completes', { todo: NO_JOBS }, async () => {
    ha(`cat<<EOF >app.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: fluid-copy-test
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: busybox
          image: busybox
          command: ["/bin/sh"]
          args: ["-c", "set -x; time cp -r /data/hbase ./"]
          volumeMounts:
            - mountPath: /data
              name: hbase-vol
      volumes:
        - name: hbase-vol
          persistentVolumeClaim:
            claimName: hbase
EOF`);
    ha('kubectl create -f app.yaml');
    await waitRow(sh, 'kubectl get pod', (r) => (r['NAME'] ?? '').startsWith('fluid-copy-test-') && r['STATUS'] === 'Completed', 'copy job Completed', 30_000);
  });
  await t.test('cleanup', async () => {
    sh.try('kubectl delete pod nginx --grace-period=0 --force');
    sh.run('kubectl delete alluxioruntime hbase');
    await waitFor('hbase runtime gone', () => sh.try('kubectl get alluxioruntime hbase').code !== 0, 120_000, 500);
    sh.run('kubectl delete dataset hbase');
  });
}

async function seed004(t: TestContext, sh: Shell, s3: { endpoint: string; accessKeyId: string; secretAccessKey: string }, dir: string): Promise<void> {
  writeFileSync(join(dir, 'profile.yaml'), `apiVersion: data.fluid.io/v1alpha1
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
  writeFileSync(join(dir, 'minio-dataset.yaml'), `apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: minio-demo
spec:
  mounts:
  - mountPoint: minio://my-first-bucket # minio://<bucket name>
    name: minio
    options:
      minio-url: ${s3.endpoint} # minio service <url>:<port>
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
  writeFileSync(join(dir, 'minio-pod.yaml'), `apiVersion: v1
kind: Pod
metadata:
  name: test-minio
  labels:
    alibabacloud.com/fluid-sidecar-target: eci
    alibabacloud.com/eci: "true"
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: nginx:latest
      command: ["bash"]
      args:
        - -c
        - ls -lh /data && cat /data/testfile && sleep 180
      volumeMounts:
        - mountPath: /data
          name: data-vol
  volumes:
    - name: data-vol
      persistentVolumeClaim:
        claimName: minio-demo
`);
  await t.test('profile, secret, Dataset + ThinRuntime: Bound with N/A sizes', async () => {
    assert.equal(sh.run('kubectl create -f profile.yaml').trim(), 'thinruntimeprofile.data.fluid.io/minio created');
    assert.equal(sh.run(`kubectl create secret generic minio-secret --from-literal=minio-access-key=${s3.accessKeyId} --from-literal=minio-access-secret=${s3.secretAccessKey}`).trim(), 'secret/minio-secret created');
    assert.deepEqual(lines(sh.run('kubectl create -f minio-dataset.yaml')), ['dataset.data.fluid.io/minio-demo created', 'thinruntime.data.fluid.io/minio-demo created']);
    const row = await waitRow(sh, 'kubectl get dataset minio-demo', (r) => r['PHASE'] === 'Bound', 'minio-demo Bound');
    assert.deepEqual([row['UFS TOTAL SIZE'], row['CACHED'], row['CACHE CAPACITY'], row['CACHED PERCENTAGE']], ['N/A', 'N/A', 'N/A', 'N/A']);
  });
  await t.test('the test-minio pod reads testfile: kubectl logs test-minio -c app', async () => {
    assert.equal(sh.run('kubectl create -f minio-pod.yaml').trim(), 'pod/test-minio created');
    await waitFor('test-minio logs', () => /fluid-minio-test/.test(sh.try('kubectl logs test-minio -c app').stdout), 120_000, 1_000);
  });
  await t.test('cleanup: delete pod, dataset and profile', async () => {
    sh.try('kubectl delete -f minio-pod.yaml --grace-period=0 --force');
    assert.deepEqual(lines(sh.run('kubectl delete -f minio-dataset.yaml')), ['dataset.data.fluid.io "minio-demo" deleted', 'thinruntime.data.fluid.io "minio-demo" deleted']);
    await waitFor('minio-demo gone', () => sh.try('kubectl get thinruntime minio-demo').code !== 0, 120_000, 500);
    assert.equal(sh.run('kubectl delete -f profile.yaml').trim(), 'thinruntimeprofile.data.fluid.io "minio" deleted');
  });
}

test('seeds 000, 001 and 004, every command verbatim against fluid up', { timeout: 900_000 }, async (t) => {
  const s3 = await startS3(t, ['demo-bucket', 'my-first-bucket']);
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  t.after(() => client.destroy());
  // Seed 000's bucket directory; seed 004's `mc cp ./testfile local/my-first-bucket/`.
  await client.send(new PutObjectCommand({ Bucket: 'demo-bucket', Key: 'data/CHANGES.md', Body: 'c'.repeat(20) }));
  await client.send(new PutObjectCommand({ Bucket: 'demo-bucket', Key: 'data/hbase-bin.tar.gz', Body: Buffer.alloc(3 * 1024, 7) }));
  await client.send(new PutObjectCommand({ Bucket: 'my-first-bucket', Key: 'testfile', Body: 'fluid-minio-test\n' }));
  const { www, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  try {
    const dir = tempDir(t, 'fluid-seeds-');
    const sh = shell(cp, dir);
    await t.test('seed 000: JindoRuntime with its master metadata on a claim', (st) => seed000(st, cp, sh, s3, dir));
    await t.test('seed 001: AlluxioRuntime with 3 masters (HA)', (st) => seed001(st, sh, `${nginx.url}hbase/`, totalSize(join(www, 'hbase')), dir, www, cp.home));
    await t.test('seed 004: ThinRuntime for MinIO', (st) => seed004(st, sh, s3, dir));
  } finally {
    // The harness removes HOME in its own hook; stop the control plane first, pass or fail.
    cp.fluid(['down']);
  }
});

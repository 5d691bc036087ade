// charts/fluid-ts on the real control plane (scripts/kube-cluster.sh, which installs the chart with
// the real helm built from Go modules), and the cache-affinity webhook registered on the real
// kube-apiserver:
//   - pods that use a dataset's PVC in a namespace labelled fluid.io/enable-injection=true get the
//     affinity from `fluid webhook` and the real kube-scheduler places them on the cache nodes
//     (fluid.io/s-<ns>-<name>=true); pods of unlabelled namespaces are untouched;
//   - a stopped webhook (helm upgrade --set webhook.replicas=0) blocks no pod;
//   - helm uninstall, install, upgrade (a changed value) and uninstall leave no stray object of any
//     namespaced or cluster-scoped kind behind; the CRDs stay, as Helm does.
// The cache nodes are labelled here as the runtime controller labels the nodes of its workers, and
// the dataset's PV/PVC are the controllers' own templates: the test is about placement, which needs
// no running cache. The application pods are scheduled (spec.nodeName) by kube-scheduler; the node
// agent runs only fluid-ts's own image, so they stay Pending on their node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, waitFor } from '../../support/proc.js';
import { upKubeCluster } from '../../support/kube-cluster.js';
import { persistentVolume, persistentVolumeClaim } from '../../../src/core/workloads/templates.js';

interface Obj { metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; status?: Record<string, unknown> }

test('charts/fluid-ts on the real control plane: cache-affinity webhook steers dataset pods through kube-scheduler; helm install, upgrade, uninstall leave nothing behind', { timeout: 3_600_000 }, async (t) => {
  const cluster = upKubeCluster(t, 'fluid-helm-', 3);
  const { dir, kubeconfig } = cluster;
  const run = (cmd: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...(input !== undefined ? { input } : {}),
      env: { ...process.env, KUBECONFIG: kubeconfig, HELM_CONFIG_HOME: join(dir, 'helm/config'), HELM_CACHE_HOME: join(dir, 'helm/cache'), HELM_DATA_HOME: join(dir, 'helm/data') } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const kubectl = (args: string[], input?: string): string => {
    const r = run('/usr/bin/kubectl', args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const getJson = <T>(args: string[]): T => JSON.parse(kubectl([...args, '-o', 'json'])) as T;
  const helmBin = spawnSync('bash', [join(repoRoot, 'scripts/go-tool.sh'), 'helm'], { encoding: 'utf8' }).stdout.trim();
  const helm = (args: string[]): string => {
    const r = run(helmBin, args);
    assert.equal(r.code, 0, `helm ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const chart = join(repoRoot, 'charts/fluid-ts');
  assert.match(run(helmBin, ['lint', '--strict', chart]).stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);

  // ------------------------------------------------------------ the release kube-cluster.sh installed
  const releases = JSON.parse(helm(['list', '-n', 'fluid-system', '-o', 'json'])) as { name: string; status: string; chart: string }[];
  assert.deepEqual(releases.map((r) => `${r.name} ${r.status} ${r.chart}`), ['fluid-ts deployed fluid-ts-0.1.0']);
  const podsOf = (app: string): Obj[] => getJson<{ items: Obj[] }>(['get', 'pods', '-n', 'fluid-system', '-l', `app=${app}`]).items;
  for (const app of ['fluid-controllers', 'fluid-webhook']) {
    assert.deepEqual(podsOf(app).map((p) => p.status?.['phase']), ['Running'], `${app} runs`);
    assert.equal(podsOf(app)[0]?.spec?.['serviceAccountName'], app, `${app} runs under the chart's ServiceAccount`);
  }
  // Least privilege: no wildcard anywhere in the chart's ClusterRoles, and the controllers cannot
  // read what they do not use.
  for (const role of getJson<{ items: { metadata: { name: string }; rules: { verbs: string[]; resources?: string[]; apiGroups?: string[] }[] }[] }>(['get', 'clusterroles', '-l', 'app.kubernetes.io/instance=fluid-ts']).items) {
    for (const r of role.rules) assert.ok(![...r.verbs, ...(r.resources ?? []), ...(r.apiGroups ?? [])].includes('*'), `${role.metadata.name} has no wildcard`);
  }
  const can = (verb: string, what: string, sa = 'fluid-controllers'): string => run('/usr/bin/kubectl', ['auth', 'can-i', verb, what, `--as=system:serviceaccount:fluid-system:${sa}`]).stdout.trim();
  assert.equal(can('patch', 'datasets.data.fluid.io/status'), 'yes');
  assert.equal(can('create', 'statefulsets.apps'), 'yes');
  assert.equal(can('list', 'secrets'), 'no');
  assert.equal(can('create', 'clusterrolebindings.rbac.authorization.k8s.io'), 'no');
  // Pods: a DataProcess's processor pod is the one pod the controllers create; nothing else of apps.
  assert.equal(can('create', 'pods'), 'yes');
  assert.equal(can('create', 'deployments.apps'), 'no');
  assert.equal(can('get', 'persistentvolumeclaims', 'fluid-webhook'), 'yes');
  assert.equal(can('update', 'persistentvolumeclaims', 'fluid-webhook'), 'no');

  // ------------------------------------------------------------ cache-affinity scheduling
  // Cache nodes of dataset demo/hbase: fluid-node-1 and fluid-node-3; fluid-node-2 caches nothing.
  kubectl(['label', 'node', 'fluid-node-1', 'fluid-node-3', 'fluid.io/s-demo-hbase=true']);
  kubectl(['create', 'namespace', 'demo']);
  kubectl(['label', 'namespace', 'demo', 'fluid.io/enable-injection=true']);
  kubectl(['create', 'namespace', 'plain']);
  const ref = (namespace: string) => ({ apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', name: 'hbase', namespace, uid: '' });
  for (const ns of ['demo', 'plain']) {
    kubectl(['create', '-f', '-'], JSON.stringify(persistentVolume(ref(ns), `/runtime-mnt/alluxio/${ns}/hbase/alluxio-fuse`, 'fuse.alluxio-fuse', true)));
    kubectl(['create', '-f', '-'], JSON.stringify(persistentVolumeClaim(ref(ns), true)));
  }
  await waitFor('the PV controller to bind both claims', () => {
    const claims = getJson<{ items: Obj[] }>(['get', 'pvc', '-A', '-l', 'fluid.io/dataset-id']).items;
    return claims.length === 2 && claims.every((c) => c.status?.['phase'] === 'Bound') ? true : undefined;
  }, 120_000, 500);
  const pod = (ns: string, name: string, opts: { claim?: string; labels?: Record<string, string> } = {}): string => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'affinity-test', ...opts.labels } },
    spec: {
      containers: [{ name: 'app', image: 'nginx', ...(opts.claim ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}) }],
      ...(opts.claim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: opts.claim } }] } : {}),
    },
  });
  for (let i = 0; i < 4; i++) kubectl(['create', '-f', '-'], pod('demo', `app-${i}`, { claim: 'hbase' }));
  kubectl(['create', '-f', '-'], pod('demo', 'app-required', { claim: 'hbase', labels: { 'fluid.io/dataset.hbase.sched': 'required' } }));
  kubectl(['create', '-f', '-'], pod('demo', 'no-dataset'));
  for (let i = 0; i < 3; i++) kubectl(['create', '-f', '-'], pod('plain', `app-${i}`, { claim: 'hbase' }));
  const scheduled = (ns: string): Map<string, Obj> => {
    const items = getJson<{ items: Obj[] }>(['get', 'pods', '-n', ns, '-l', 'app=affinity-test']).items;
    return new Map(items.map((p) => [p.metadata.name, p]));
  };
  for (const ns of ['demo', 'plain']) {
    await waitFor(`kube-scheduler to place the pods of ${ns}`, () => [...scheduled(ns).values()].every((p) => typeof p.spec?.['nodeName'] === 'string') ? true : undefined, 120_000, 500);
  }
  const demo = scheduled('demo');
  const cacheExpr = { key: 'fluid.io/s-demo-hbase', operator: 'In', values: ['true'] };
  for (let i = 0; i < 4; i++) {
    const p = demo.get(`app-${i}`);
    assert.deepEqual(p?.spec?.['affinity'], { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [cacheExpr] } }] } });
    assert.match(String(p?.spec?.['nodeName']), /^fluid-node-[13]$/, `app-${i} landed on a cache node`);
  }
  assert.deepEqual(demo.get('app-required')?.spec?.['affinity'], { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [cacheExpr] }] } } });
  assert.match(String(demo.get('app-required')?.spec?.['nodeName']), /^fluid-node-[13]$/);
  assert.equal(demo.get('no-dataset')?.spec?.['affinity'], undefined, 'a pod without a dataset is untouched');
  for (const [name, p] of scheduled('plain')) assert.equal(p.spec?.['affinity'], undefined, `plain/${name}: a namespace without the label is untouched`);
  const webhookLog = readFileSync(join(dir, 'nodes', String(podsOf('fluid-webhook')[0]?.spec?.['nodeName']), 'pods/fluid-system', podsOf('fluid-webhook')[0]?.metadata.name ?? '', 'webhook.log'), 'utf8');
  assert.match(webhookLog, /pod demo\/app-0: cache affinity to demo\/hbase/);
  assert.doesNotMatch(webhookLog, /pod plain\//, 'kube-apiserver sends no pod of an unlabelled namespace (namespaceSelector)');

  // ------------------------------------------------------------ the controllers' ClusterRole is enough
  // A Dataset and its runtime: the controllers (under their ServiceAccount) set the Dataset up and
  // create the runtime's ConfigMap, engine credential Secret and master StatefulSet, record Events,
  // and are never refused by the API server.
  const hostAddress = readFileSync(join(dir, 'host-address'), 'utf8').trim();
  kubectl(['create', 'namespace', 'rbac']);
  kubectl(['create', '-n', 'rbac', '-f', '-'], `apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata: { name: hbase }
spec:
  mounts: [{ mountPoint: "http://${hostAddress}:1/hbase/", name: hbase }]
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata: { name: hbase }
spec:
  replicas: 1
  tieredstore: { levels: [{ mediumtype: MEM, path: /dev/shm, quota: 64Mi }] }
`);
  await waitFor('the controllers to create the runtime\'s master StatefulSet and record it', () => {
    const sts = getJson<{ items: Obj[] }>(['get', 'statefulsets', '-n', 'rbac']).items;
    const events = getJson<{ items: { reason: string }[] }>(['get', 'events', '-n', 'rbac', '--field-selector', 'involvedObject.kind=AlluxioRuntime']).items;
    return sts.length > 0 && events.length > 0 ? true : undefined;
  }, 120_000, 1_000);
  assert.equal(getJson<{ items: Obj[] }>(['get', 'configmaps', '-n', 'rbac']).items.some((c) => c.metadata.name !== 'kube-root-ca.crt'), true, 'the engine ConfigMap');
  const ctlPod = podsOf('fluid-controllers')[0];
  const ctlLog = readFileSync(join(dir, 'nodes', String(ctlPod?.spec?.['nodeName']), 'pods/fluid-system', ctlPod?.metadata.name ?? '', 'controllers.log'), 'utf8');
  assert.doesNotMatch(ctlLog, /forbidden|\b403\b/i, 'no request of the controllers was refused by RBAC');
  kubectl(['delete', '-n', 'rbac', 'alluxioruntime', 'hbase', '--wait=true', '--timeout=120s']);
  kubectl(['delete', '-n', 'rbac', 'dataset', 'hbase', '--wait=true', '--timeout=120s']);
  assert.doesNotMatch(readFileSync(join(dir, 'nodes', String(ctlPod?.spec?.['nodeName']), 'pods/fluid-system', ctlPod?.metadata.name ?? '', 'controllers.log'), 'utf8'), /forbidden|\b403\b/i, 'nor while tearing the runtime down');

  // ------------------------------------------------------------ helm upgrade: the webhook stopped
  const tlsBefore = getJson<{ data: Record<string, string> }>(['get', 'secret', '-n', 'fluid-system', 'fluid-webhook-tls']).data;
  const controllersUid = podsOf('fluid-controllers')[0]?.metadata.uid;
  helm(['upgrade', 'fluid-ts', chart, '-n', 'fluid-system', '--reuse-values', '--set', 'webhook.replicas=0']);
  await waitFor('the webhook pod to go', () => podsOf('fluid-webhook').length === 0 ? true : undefined, 120_000, 500);
  assert.equal(getJson<{ spec: { replicas: number } }>(['get', 'deployment', '-n', 'fluid-system', 'fluid-webhook']).spec.replicas, 0);
  assert.deepEqual(getJson<{ data: Record<string, string> }>(['get', 'secret', '-n', 'fluid-system', 'fluid-webhook-tls']).data, tlsBefore, 'the serving certificate is kept across upgrades');
  assert.equal(podsOf('fluid-controllers')[0]?.metadata.uid, controllersUid, 'an unrelated value change does not restart the controllers');
  assert.match(helm(['status', 'fluid-ts', '-n', 'fluid-system']), /REVISION: 2/);
  // failurePolicy Ignore: an unreachable webhook blocks no pod, with or without a dataset.
  kubectl(['create', '-f', '-'], pod('demo', 'while-stopped-plain'));
  kubectl(['create', '-f', '-'], pod('demo', 'while-stopped-dataset', { claim: 'hbase' }));
  assert.equal(getJson<Obj>(['get', 'pod', '-n', 'demo', 'while-stopped-dataset']).spec?.['affinity'], undefined);

  // ------------------------------------------------------------ uninstall, install, upgrade, uninstall
  kubectl(['delete', 'namespace', 'demo', 'plain', 'rbac', '--wait=true', '--timeout=120s']);
  kubectl(['delete', 'pv', '-l', 'fluid.io/dataset-id']);
  kubectl(['label', 'node', 'fluid-node-1', 'fluid-node-3', 'fluid.io/s-demo-hbase-']);
  helm(['uninstall', 'fluid-ts', '-n', 'fluid-system', '--wait', '--timeout', '120s']);
  // Every listable kind, namespaced and cluster-scoped, by name. Events are left out: they record
  // what happened (and expire); Leases are renewed in place, so their names are stable.
  const kinds = kubectl(['api-resources', '--verbs=list', '-o', 'name']).split('\n').filter((k) => k !== '' && k !== 'events' && k !== 'events.events.k8s.io');
  const plural = new Map<string, string>();
  for (const line of kubectl(['api-resources', '--verbs=list', '--no-headers', '-o', 'wide']).split('\n')) {
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS...: the kind sits after true/false.
    const cols = line.trim().split(/\s+/);
    const at = cols.findIndex((c) => c === 'true' || c === 'false');
    if (at > 0) plural.set(`${cols[at - 1] ?? ''}/${cols[at + 1] ?? ''}`, `${cols[0] ?? ''}${(cols[at - 1] ?? '').includes('/') ? `.${(cols[at - 1] ?? '').split('/')[0] ?? ''}` : ''}`);
  }
  // One request per snapshot: every kind at once, each object named "<plural.group> <ns>/<name>".
  const snapshot = (): Set<string> => {
    const out = new Set<string>();
    for (const o of getJson<{ items: (Obj & { apiVersion: string; kind: string })[] }>(['get', kinds.join(','), '-A']).items) {
      out.add(`${plural.get(`${o.apiVersion}/${o.kind}`) ?? `${o.apiVersion}/${o.kind}`} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    }
    return out;
  };
  const diff = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();
  const settle = async (what: string, want: Set<string>): Promise<void> => {
    await waitFor(what, () => { const now = snapshot(); return diff(now, want).length === 0 && diff(want, now).length === 0 ? true : undefined; }, 180_000, 1_000)
      .catch(() => { const now = snapshot(); assert.fail(`${what}: stray ${JSON.stringify(diff(now, want))}, missing ${JSON.stringify(diff(want, now))}`); });
  };
  const crds = (s: Set<string>): string[] => [...s].filter((k) => /^customresourcedefinitions\.apiextensions\.k8s\.io \/.*\.data\.fluid\.io$/.test(k)).sort();
  const ofRelease = (k: string): boolean => /fluid-(controllers|webhook|csi)|fuse\.csi\.fluid\.io| (demo|plain|rbac)\/|namespaces \/(demo|plain|rbac)$|persistentvolumes \/(demo|plain|rbac)-hbase$/.test(k);
  const bare = await waitFor('the garbage collector to remove everything the release and the test namespaces owned', () => {
    const s = snapshot();
    return [...s].some(ofRelease) ? undefined : s;
  }, 180_000, 1_000).catch(() => assert.fail(`left after helm uninstall: ${JSON.stringify([...snapshot()].filter(ofRelease))}`));
  const chartCrds = readdirSync(join(repoRoot, 'charts/fluid-ts/crds')).filter((f) => f.endsWith('.yaml')).length;
  assert.equal(crds(bare).length, chartCrds, 'the CRDs stay after helm uninstall');

  // A fresh install with every component (the CSI DaemonSet too, without the registrar, whose image
  // the node agent does not run), then an upgrade that changes a value.
  helm(['install', 'fluid-ts', chart, '-n', 'fluid-system', '--set', 'csi.registrar.enabled=false']);
  await waitFor('the controllers and the webhook to run', () => ['fluid-controllers', 'fluid-webhook'].every((a) => podsOf(a).some((p) => p.status?.['phase'] === 'Running')) ? true : undefined, 180_000, 1_000);
  const installed = snapshot();
  const added = diff(installed, bare);
  for (const want of ['serviceaccounts fluid-system/fluid-controllers', 'serviceaccounts fluid-system/fluid-webhook', 'serviceaccounts fluid-system/fluid-csi',
    'deployments.apps fluid-system/fluid-controllers', 'deployments.apps fluid-system/fluid-webhook', 'daemonsets.apps fluid-system/fluid-csi-nodeplugin',
    'services fluid-system/fluid-webhook', 'secrets fluid-system/fluid-webhook-tls', 'csidrivers.storage.k8s.io /fuse.csi.fluid.io',
    'clusterroles.rbac.authorization.k8s.io /fluid-system-fluid-controllers', 'clusterrolebindings.rbac.authorization.k8s.io /fluid-system-fluid-controllers',
    'mutatingwebhookconfigurations.admissionregistration.k8s.io /fluid-system-fluid-webhook']) {
    assert.ok(added.includes(want), `helm install created ${want}`);
  }
  assert.deepEqual(diff(bare, installed), [], 'helm install removed nothing');
  helm(['upgrade', 'fluid-ts', chart, '-n', 'fluid-system', '--reuse-values', '--set', 'csi.enabled=false', '--set', 'webhook.timeoutSeconds=10']);
  await waitFor('the upgrade to remove the CSI objects and their pods', () => { const s = snapshot(); return [...s].some((k) => /fluid-csi(?!-nodes)|fuse\.csi\.fluid\.io/.test(k)) ? undefined : true; }, 180_000, 1_000);
  const mwc = getJson<{ webhooks: { timeoutSeconds: number; failurePolicy: string }[] }>(['get', 'mutatingwebhookconfiguration', 'fluid-system-fluid-webhook']);
  assert.deepEqual(mwc.webhooks.map((w) => [w.timeoutSeconds, w.failurePolicy]), [[10, 'Ignore']], 'the upgrade applied the changed value');
  helm(['uninstall', 'fluid-ts', '-n', 'fluid-system', '--wait', '--timeout', '120s']);
  await settle('helm uninstall to leave exactly the cluster as it was before the install', bare);
  assert.equal(crds(snapshot()).length, chartCrds, 'the CRDs stay');

  const down = cluster.down();
  assert.equal(down.code, 0, down.stderr);
});

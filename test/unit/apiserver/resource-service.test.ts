import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureBuiltins } from '../../../src/adapters/apiserver/bootstrap.js';
import { GarbageCollector } from '../../../src/adapters/apiserver/garbage-collector.js';
import { jsonLogger } from '../../../src/adapters/apiserver/logger.js';
import { KindRegistry } from '../../../src/adapters/apiserver/kind-registry.js';
import { ResourceService, type RequestContext } from '../../../src/adapters/apiserver/resource-service.js';
import { ApiError } from '../../../src/adapters/apiserver/status-errors.js';
import { MemoryObjectStore } from '../../../src/adapters/store/memory-object-store.js';
import type { KindDefinition } from '../../../src/api/kind.js';
import { kindsPort } from '../../../src/apps/controlplane/kinds.js';

const NOW = new Date('2026-01-02T03:04:05.678Z');

function setup(): { svc: ResourceService; store: MemoryObjectStore; kind: (plural: string) => KindDefinition; ctx: (fv?: RequestContext['fieldValidation']) => RequestContext } {
  const store = new MemoryObjectStore();
  const registry = new KindRegistry(kindsPort.kinds);
  const svc = new ResourceService(store, kindsPort, registry);
  ensureBuiltins(svc, NOW, { name: 'node-a', address: '127.0.0.1', cpus: 2, memoryBytes: 4 * 1024 ** 3, arch: 'x64', kernel: '6.1' });
  const kind = (plural: string): KindDefinition => {
    const k = registry.all.find((d) => d.plural === plural);
    assert.ok(k, plural);
    return k;
  };
  return { svc, store, kind, ctx: (fv = 'Strict') => ({ now: NOW, fieldValidation: fv, dryRun: false, warnings: [] }) };
}

const dataset = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', metadata: { name, ...extra }, spec: { mounts: [{ mountPoint: 'https://example.org/d/', name: 'd' }] },
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected an ApiError');
}

test('GIVEN a fresh store WHEN bootstrapped THEN the four namespaces and this Node exist, and bootstrapping again changes nothing', () => {
  const { svc, store, kind } = setup();
  assert.deepEqual(store.list('', 'namespaces').map((n) => n.metadata.name), ['default', 'fluid-system', 'kube-node-lease', 'kube-public', 'kube-system']);
  const node = svc.get(kind('nodes'), undefined, 'node-a');
  assert.equal((node.metadata.labels as Record<string, string>)['kubernetes.io/hostname'], 'node-a');
  const rv = store.currentRv();
  ensureBuiltins(svc, NOW, { name: 'node-a', address: '127.0.0.1', cpus: 2, memoryBytes: 4 * 1024 ** 3, arch: 'x64', kernel: '6.1' });
  assert.equal(store.currentRv(), rv, 'an unchanged bootstrap writes nothing');
});

test('GIVEN a Dataset create WHEN it carries generateName and server-owned fields THEN the server assigns name, uid, timestamps and generation 1', () => {
  const { svc, kind, ctx } = setup();
  const created = svc.create(kind('datasets'), 'default', { ...dataset(''), metadata: { generateName: 'ds-', uid: 'forged', resourceVersion: '99' }, status: { phase: 'Bound' } }, ctx());
  assert.match(String(created.metadata.name), /^ds-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.notEqual(created.metadata.uid, 'forged');
  assert.equal(created.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
  assert.equal(created.metadata.generation, 1);
  assert.equal(created.metadata.namespace, 'default');
  assert.equal(created.status, undefined, 'status is set through /status only');
});

test('GIVEN an existing Dataset WHEN spec, labels and status change THEN generation bumps only for spec, and main-resource writes keep status', () => {
  const { svc, kind, ctx } = setup();
  const ds = kind('datasets');
  const created = svc.create(ds, 'default', dataset('a'), ctx());
  const withStatus = svc.patch(ds, 'default', 'a', 'merge', { status: { phase: 'Bound' } }, ctx(), true);
  assert.equal((withStatus.status as { phase: string }).phase, 'Bound');
  assert.equal(withStatus.metadata.generation, 1);
  const labelled = svc.patch(ds, 'default', 'a', 'merge', { metadata: { labels: { x: 'y' } }, status: { phase: 'Failed' } }, ctx(), false);
  assert.equal(labelled.metadata.generation, 1);
  assert.equal((labelled.status as { phase: string }).phase, 'Bound');
  const respec = svc.patch(ds, 'default', 'a', 'json', [{ op: 'replace', path: '/spec/mounts/0/name', value: 'e' }], ctx(), false);
  assert.equal(respec.metadata.generation, 2);
  assert.equal(respec.metadata.uid, created.metadata.uid);
  const same = svc.patch(ds, 'default', 'a', 'merge', {}, ctx(), false);
  assert.equal(same.metadata.resourceVersion, respec.metadata.resourceVersion, 'a no-op patch writes nothing');
});

test('GIVEN a stale resourceVersion WHEN updating THEN the 409 uses kube\'s message', () => {
  const { svc, kind, ctx } = setup();
  const cm = kind('configmaps');
  const created = svc.create(cm, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, ctx());
  svc.update(cm, 'default', 'c', { ...created, data: { a: '2' } }, ctx(), false);
  const err = apiError(() => svc.update(cm, 'default', 'c', { ...created, data: { a: '3' } }, ctx(), false));
  assert.equal(err.httpStatus, 409);
  assert.equal(err.message, 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again');
});

test('GIVEN an invalid Secret WHEN it is rejected THEN the error names the field and never echoes the value', () => {
  const { svc, kind, ctx } = setup();
  const err = apiError(() => svc.create(kind('secrets'), 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: ['hunter2-secret'] } }, ctx()));
  assert.ok(err.httpStatus === 422 || err.httpStatus === 400);
  assert.doesNotMatch(JSON.stringify({ m: err.message, d: err.details }), /hunter2-secret/);
});

test('GIVEN a namespace being deleted WHEN its last object goes THEN the namespace is removed, and creates into it are forbidden meanwhile', () => {
  const { svc, store, kind, ctx } = setup();
  const ns = kind('namespaces');
  const cm = kind('configmaps');
  svc.create(ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, ctx());
  svc.create(cm, 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['x/y'] } }, ctx());
  const r = svc.delete(ns, undefined, 'team', {}, ctx());
  assert.equal(r.gone, false);
  assert.equal((r.object.status as { phase: string }).phase, 'Terminating');
  assert.equal(apiError(() => svc.create(cm, 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }, ctx())).httpStatus, 403);
  svc.patch(cm, 'team', 'held', 'merge', { metadata: { finalizers: null } }, ctx(), false);
  assert.equal(store.list('', 'configmaps', 'team').length, 0);
  const again = svc.finishNamespace(svc.get(ns, undefined, 'team'), ctx());
  assert.equal(again.gone, true);
  assert.equal(apiError(() => svc.get(ns, undefined, 'team')).httpStatus, 404);
  assert.equal(apiError(() => svc.delete(ns, undefined, 'default', {}, ctx())).httpStatus, 403);
});

test('GIVEN dry-run WHEN creating or deleting THEN nothing is stored', () => {
  const { svc, store, kind } = setup();
  const rv = store.currentRv();
  const dry = { now: NOW, fieldValidation: 'Strict' as const, dryRun: true, warnings: [] };
  svc.create(kind('datasets'), 'default', dataset('dry'), dry);
  assert.equal(store.currentRv(), rv);
});

test('GIVEN owners and dependents WHEN owners are deleted in the background, orphaning or in the foreground THEN a GC pass collects, keeps or waits as kube does', () => {
  const { svc, store, kind, ctx } = setup();
  const cm = kind('configmaps');
  const gc = new GarbageCollector(store, svc, jsonLogger(() => {}), () => NOW);
  const make = (name: string, owner?: { metadata: Record<string, unknown> }): { metadata: Record<string, unknown> } => svc.create(cm, 'default', {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid }] } : {}) },
  }, ctx());
  const exists = (name: string): boolean => store.get({ group: '', resource: 'configmaps', namespace: 'default', name }) !== undefined;

  const bg = make('bg');
  make('bg-child', bg);
  svc.delete(cm, 'default', 'bg', { propagationPolicy: 'Background' }, ctx());
  assert.ok(exists('bg-child'), 'background: the owner goes first');
  gc.runOnce();
  assert.ok(!exists('bg-child'));

  const orph = make('orph');
  make('orph-child', orph);
  svc.delete(cm, 'default', 'orph', { propagationPolicy: 'Orphan' }, ctx());
  gc.runOnce();
  assert.ok(exists('orph-child'));
  assert.equal(store.get({ group: '', resource: 'configmaps', namespace: 'default', name: 'orph-child' })?.metadata.ownerReferences, undefined);

  const fg = make('fg');
  make('fg-child', fg);
  const r = svc.delete(cm, 'default', 'fg', { propagationPolicy: 'Foreground' }, ctx());
  assert.equal(r.gone, false, 'foreground: the owner waits for its dependents');
  assert.deepEqual(r.object.metadata.finalizers, ['foregroundDeletion']);
  gc.runOnce();
  assert.ok(!exists('fg-child'));
  gc.runOnce();
  assert.ok(!exists('fg'), 'the owner goes once no dependent is left');
});

test('GIVEN a pod WHEN a JSON patch nests a deep value under a deep path THEN a 400 names the depth limit and nothing is stored', () => {
  const { svc, kind, ctx } = setup();
  const pods = kind('pods');
  const deep = (n: number): unknown => { let v: unknown = 1; for (let i = 0; i < n; i++) v = { a: v }; return v; };
  svc.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: deep(900) }, ctx('Warn'));
  const path = `/spec${'/a'.repeat(899)}/b`;
  const e = apiError(() => svc.patch(pods, 'default', 'p', 'json', [{ op: 'add', path, value: deep(900) }], ctx('Warn'), false));
  assert.equal(e.httpStatus, 400);
  assert.match(e.message, /^the patched object is nested too deeply: objects and arrays may nest at most 1000 levels$/);
});

test('GIVEN a Dataset WHEN a merge patch only adds a field that Warn prunes THEN neither generation nor resourceVersion moves', () => {
  const { svc, kind, ctx } = setup();
  const datasets = kind('datasets');
  const created = svc.create(datasets, 'default', dataset('g'), ctx());
  const c = ctx('Warn');
  const after = svc.patch(datasets, 'default', 'g', 'merge', { spec: { bogus: 1 } }, c, false);
  assert.deepEqual(c.warnings, ['unknown field "spec.bogus"']);
  assert.equal(after.metadata.generation, created.metadata.generation);
  assert.equal(after.metadata.resourceVersion, created.metadata.resourceVersion);
  const changed = svc.patch(datasets, 'default', 'g', 'merge', { spec: { mounts: [{ mountPoint: 'https://example.org/e/', name: 'e' }] } }, ctx('Warn'), false);
  assert.equal(changed.metadata.generation, 2);
});

test('GIVEN a paginated list WHEN the change log is compacted past its snapshot before the next page THEN the next page is 410 Expired in kube\'s words', () => {
  const store = new MemoryObjectStore(5);
  const registry = new KindRegistry(kindsPort.kinds);
  const svc = new ResourceService(store, kindsPort, registry);
  ensureBuiltins(svc, NOW, { name: 'node-a', address: '127.0.0.1', cpus: 2, memoryBytes: 4 * 1024 ** 3, arch: 'x64', kernel: '6.1' });
  const cms = registry.all.find((d) => d.plural === 'configmaps');
  assert.ok(cms);
  const c: RequestContext = { now: NOW, fieldValidation: 'Strict', dryRun: false, warnings: [] };
  for (const n of ['a', 'b', 'c']) svc.create(cms, 'default', { metadata: { name: n } }, c);
  const first = svc.list(cms, 'default', [], [], { limit: 1 });
  assert.deepEqual(first.items.map((o) => o.metadata.name), ['a']);
  assert.equal(first.remainingItemCount, 2);
  assert.ok(first.continue);
  const second = svc.list(cms, 'default', [], [], { limit: 1, continue: first.continue });
  assert.deepEqual(second.items.map((o) => o.metadata.name), ['b']);
  for (let i = 0; i < 10; i++) svc.patch(cms, 'default', 'c', 'merge', { data: { i: String(i) } }, c, false);
  const e = apiError(() => svc.list(cms, 'default', [], [], { limit: 1, continue: first.continue }));
  assert.equal(e.httpStatus, 410);
  assert.equal(e.reason, 'Expired');
  assert.match(e.message, /^The provided continue parameter is too old to display a consistent list result\./);
});

test('GIVEN a namespace labelled fluid.io/enable-injection=true WHEN a pod that mounts a dataset\'s PVC is created THEN the embedded admission adds the cache affinity fluid webhook adds; other pods and namespaces are untouched', () => {
  const { svc, kind, ctx } = setup();
  svc.create(kind('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { 'fluid.io/enable-injection': 'true' } } }, ctx());
  for (const ns of ['demo', 'default']) {
    svc.create(kind('persistentvolumeclaims'), ns, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'hbase', labels: { 'fluid.io/dataset-id': `${ns}-hbase` } }, spec: { accessModes: ['ReadOnlyMany'], resources: { requests: { storage: '1Gi' } } } }, ctx());
  }
  const pod = (name: string, claim?: string, labels: Record<string, string> = {}): Record<string, unknown> => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(claim ? { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] } : {}) },
  });
  const affinity = (ns: string, p: Record<string, unknown>): unknown => (svc.create(kind('pods'), ns, p, ctx()).spec as Record<string, unknown>)['affinity'];
  const expr = { key: 'fluid.io/s-demo-hbase', operator: 'In', values: ['true'] };
  assert.deepEqual(affinity('demo', pod('a', 'hbase')), { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [expr] } }] } });
  assert.deepEqual(affinity('demo', pod('b', 'hbase', { 'fluid.io/dataset.hbase.sched': 'required' })), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } } });
  assert.equal(affinity('demo', pod('c')), undefined, 'a pod without a dataset');
  assert.equal(affinity('default', pod('d', 'hbase')), undefined, 'a namespace without the label');
});

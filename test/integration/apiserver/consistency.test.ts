// GIVEN a running API server, WHEN clients race updates, watch changes and delete objects with
// finalizers/owners, THEN optimistic concurrency, watch ordering, 410 for compacted history,
// finalizers, garbage collection and namespace deletion behave as in Kubernetes.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { test } from 'node:test';
import { freePort, tempDir, waitFor } from '../../support/proc.js';
import { startApiServerProcess, type Cluster } from './harness.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface WatchEvent { type: string; object: { metadata?: { name?: string; resourceVersion?: string; deletionGracePeriodSeconds?: number }; code?: number; reason?: string } }

/** Opens a raw watch and collects events until `until` returns true (or the stream ends). */
function watch(home: string, path: string, until: (events: WatchEvent[]) => boolean): { events: WatchEvent[]; ready: Promise<void>; done: Promise<WatchEvent[]>; close(): void } {
  const doc = parse(readFileSync(join(home, 'kubeconfig'), 'utf8')) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[]; users: { user: { token: string } }[] };
  const server = new URL(doc.clusters[0]?.cluster.server ?? '');
  const events: WatchEvent[] = [];
  let close = (): void => {};
  let markReady = (): void => {};
  const ready = new Promise<void>((r) => { markReady = r; });
  const done = new Promise<WatchEvent[]>((resolve, reject) => {
    const req = request({
      host: server.hostname, port: server.port, path, method: 'GET',
      ca: Buffer.from(doc.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64'),
      headers: { Authorization: `Bearer ${doc.users[0]?.user.token ?? ''}` },
    }, (res) => {
      markReady();
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim() !== '') events.push(JSON.parse(line) as WatchEvent);
        }
        if (until(events)) { req.destroy(); resolve(events); }
      });
      res.on('end', () => resolve(events));
      res.on('error', () => resolve(events));
    });
    req.on('error', (e) => (until(events) ? resolve(events) : reject(e)));
    req.end();
    close = () => req.destroy();
  });
  return { events, ready, done, close: () => close() };
}

const cm = (name: string, data: Record<string, string> = {}, metadata: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data });

async function create(c: Cluster, path: string, body: Record<string, unknown>): Promise<Record<string, { uid: string; resourceVersion: string }>> {
  const r = await c.api('POST', path, { body });
  assert.equal(r.status, 201, r.text);
  return r.json();
}

test('GIVEN one object WHEN two updates carry the same resourceVersion THEN exactly one wins and the other gets 409', async (t) => {
  const { cluster: c } = await startApiServerProcess(t, tempDir(t, 'fluid-apiserver-'), await freePort());
  const made = await create(c, '/api/v1/namespaces/default/configmaps', cm('race', { v: '0' }));
  const rv = made.metadata?.resourceVersion ?? '';
  const put = (v: string): Promise<{ status: number; text: string }> =>
    c.api('PUT', '/api/v1/namespaces/default/configmaps/race', { body: cm('race', { v }, { resourceVersion: rv }) });
  const results = await Promise.all([put('a'), put('b')]);
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
  const loser = results.find((r) => r.status === 409);
  const status = JSON.parse(loser?.text ?? '{}') as { reason: string; message: string };
  assert.equal(status.reason, 'Conflict');
  assert.equal(status.message, 'Operation cannot be fulfilled on configmaps "race": the object has been modified; please apply your changes to the latest version and try again');
  const winner = results.find((r) => r.status === 200);
  const final = (await c.api('GET', '/api/v1/namespaces/default/configmaps/race')).json<{ data: { v: string } }>();
  assert.equal(final.data.v, (JSON.parse(winner?.text ?? '{}') as { data: { v: string } }).data.v);

  // Status subresource: PUT on the main resource ignores status; /status changes only status.
  const ds = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', metadata: { name: 'st' }, spec: { mounts: [{ mountPoint: 'https://example.org/d/', name: 'd' }] } };
  const made2 = await create(c, '/apis/data.fluid.io/v1alpha1/namespaces/default/datasets', ds);
  const s1 = await c.api('PATCH', '/apis/data.fluid.io/v1alpha1/namespaces/default/datasets/st/status', { body: { status: { phase: 'Bound' } }, contentType: 'application/merge-patch+json' });
  assert.equal(s1.status, 200, s1.text);
  const s2 = await c.api('PATCH', '/apis/data.fluid.io/v1alpha1/namespaces/default/datasets/st', { body: { status: { phase: 'Failed' }, metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' });
  assert.equal(s2.status, 200, s2.text);
  const after = s2.json<{ status: { phase: string }; metadata: { labels: Record<string, string>; generation: number; uid: string } }>();
  assert.equal(after.status.phase, 'Bound', 'main-resource writes ignore status');
  assert.equal(after.metadata.labels.a, 'b');
  assert.equal(after.metadata.generation, 1, 'metadata/status changes do not bump generation');
  assert.equal(after.metadata.uid, made2.metadata?.uid);
});

test('GIVEN a watch from a resourceVersion WHEN an object is added, modified and deleted THEN the events arrive in order, and a compacted resourceVersion gets 410', async (t) => {
  const home = tempDir(t, 'fluid-apiserver-');
  const { cluster: c } = await startApiServerProcess(t, home, await freePort(), ['--watch-history', '5']);
  const list = (await c.api('GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>();
  const w = watch(home, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}&labelSelector=app%3Dw`, (ev) => ev.some((e) => e.type === 'DELETED' && e.object.metadata?.name === 'w1'));
  await w.ready;
  await create(c, '/api/v1/namespaces/default/configmaps', cm('w1', { a: '1' }, { labels: { app: 'w' } }));
  await create(c, '/api/v1/namespaces/default/configmaps', cm('other', { a: '1' }));
  assert.equal((await c.api('PATCH', '/api/v1/namespaces/default/configmaps/w1', { body: { data: { a: '2' } }, contentType: 'application/strategic-merge-patch+json' })).status, 200);
  // An object entering and leaving the label selection is ADDED, then DELETED for this watch.
  const relabel = (v: string | null): Promise<{ status: number }> => c.api('PATCH', '/api/v1/namespaces/default/configmaps/other', { body: { metadata: { labels: { app: v } } }, contentType: 'application/merge-patch+json' });
  assert.equal((await relabel('w')).status, 200);
  assert.equal((await relabel(null)).status, 200);
  assert.equal((await c.api('DELETE', '/api/v1/namespaces/default/configmaps/w1')).status, 200);
  const events = await w.done;
  assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`), ['ADDED w1', 'MODIFIED w1', 'ADDED other', 'DELETED other', 'DELETED w1']);
  const rvs = events.map((e) => Number(e.object.metadata?.resourceVersion));
  assert.deepEqual([...rvs].sort((a, b) => a - b), rvs, 'resourceVersions increase');

  // Push the change log past its 5-entry window, then watch from the beginning: 410 Expired.
  for (let i = 0; i < 110; i++) await create(c, '/api/v1/namespaces/default/configmaps', cm(`fill-${i}`));
  const old = watch(home, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', (ev) => ev.length > 0);
  const got = await old.done;
  assert.equal(got[0]?.type, 'ERROR');
  assert.equal(got[0]?.object.code, 410);
  assert.equal(got[0]?.object.reason, 'Expired');
});

test('GIVEN finalizers, ownerReferences and namespaces WHEN owners and namespaces are deleted THEN finalizers hold objects, dependents are collected and namespaces empty', async (t) => {
  const home = tempDir(t, 'fluid-apiserver-');
  const { cluster: c } = await startApiServerProcess(t, home, await freePort());
  const base = '/api/v1/namespaces/default/configmaps';

  // Finalizer: DELETE sets deletionTimestamp; removing the last finalizer removes the object.
  await create(c, base, cm('held', {}, { finalizers: ['example.com/hold'] }));
  const del = await c.api('DELETE', `${base}/held`);
  assert.equal(del.status, 200);
  const held = (await c.api('GET', `${base}/held`)).json<{ metadata: { deletionTimestamp?: string } }>();
  assert.ok(held.metadata.deletionTimestamp, 'deletionTimestamp is set while a finalizer remains');
  assert.equal((await c.api('PATCH', `${base}/held`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' })).status, 200);
  assert.equal((await c.api('GET', `${base}/held`)).status, 404);

  // ownerReferences: deleting the owner (background) garbage-collects the dependent; Orphan keeps it.
  const owner = await create(c, base, cm('owner'));
  const ref = (o: Record<string, { uid: string }>, name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid: o.metadata?.uid ?? '' });
  await create(c, base, cm('dependent', {}, { ownerReferences: [ref(owner, 'owner')] }));
  assert.equal((await c.api('DELETE', `${base}/owner`)).status, 200);
  await waitFor('the dependent to be garbage-collected', async () => (await c.api('GET', `${base}/dependent`)).status === 404, 30_000);
  const owner2 = await create(c, base, cm('owner2'));
  await create(c, base, cm('orphan', {}, { ownerReferences: [ref(owner2, 'owner2')] }));
  assert.equal((await c.api('DELETE', `${base}/owner2?propagationPolicy=Orphan`)).status, 200);
  await new Promise((r) => setTimeout(r, 3000)); // a GC pass runs every 2 s
  const orphan = await c.api('GET', `${base}/orphan`);
  assert.equal(orphan.status, 200);
  assert.equal(orphan.json<{ metadata: { ownerReferences?: unknown } }>().metadata.ownerReferences, undefined);

  // kubectl delete --force --grace-period=0 records a zero grace period (for the node agent).
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  assert.equal((await c.api('POST', '/api/v1/namespaces/default/pods', { body: pod })).status, 201);
  const pw = watch(home, '/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dp', (ev) => ev.some((e) => e.type === 'DELETED'));
  await pw.ready; // the request must be on the wire before kubectl (spawnSync) blocks this process
  const force = c.kubectl(['delete', 'pod', 'p', '--grace-period=0', '--force']);
  assert.equal(force.code, 0, force.stderr);
  const podEvents = await pw.done;
  assert.equal(podEvents.find((e) => e.type === 'DELETED')?.object.metadata?.deletionGracePeriodSeconds, 0);

  // Namespace deletion deletes its contents, then the namespace.
  assert.equal(c.kubectl(['create', 'namespace', 'team']).code, 0);
  assert.equal((await c.api('POST', '/api/v1/namespaces/team/configmaps', { body: cm('inside') })).status, 201);
  assert.equal(c.kubectl(['delete', 'namespace', 'team', '--wait=false']).code, 0);
  await waitFor('namespace team to be gone', async () => (await c.api('GET', '/api/v1/namespaces/team')).status === 404, 30_000);
  assert.equal((await c.api('GET', '/api/v1/namespaces/team/configmaps/inside')).status, 404);
  const protectedNs = await c.api('DELETE', '/api/v1/namespaces/default');
  assert.equal(protectedNs.status, 403);
});

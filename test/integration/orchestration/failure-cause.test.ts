// The cause of a failure reaches the user (issue 13): a web UFS whose listing works but whose
// root answers HEAD with HTTP 500 lets the master load the metadata, while the FUSE (which checks
// the UFS root when it starts) exits and crash-loops. The cause must appear in the FUSE pod's
// lastState.terminated.message, the runtime's fuseReason and Ready condition, a Warning Event
// (kubectl describe), and the Dataset's condition instead of "no runtime ... binds this dataset".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../support/proc.js';
import { condition, startControlPlane, waitObj } from './harness.js';

test('a FUSE that cannot use its UFS: the cause is in the pod, the runtime, an Event and the Dataset', { timeout: 300_000 }, async (t) => {
  // GET of the directory: an nginx-style autoindex listing; HEAD of the root: 500; files: 200.
  const server = createServer((req, res) => {
    if (req.url === '/ufs/' && req.method === 'HEAD') {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end();
      return;
    }
    if (req.url === '/ufs/' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body><pre><a href="../">../</a>\n<a href="a.txt">a.txt</a>   01-Jan-2026 00:00   6\n</pre></body></html>\n');
      return;
    }
    if (req.url === '/ufs/a.txt') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '6', 'Last-Modified': 'Thu, 01 Jan 2026 00:00:00 GMT' });
      res.end(req.method === 'HEAD' ? undefined : 'hello\n');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ufs/`;
  const cp = startControlPlane(t);

  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: broken
spec:
  mounts:
    - mountPoint: ${url}
      name: broken
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: broken
spec:
  replicas: 1
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 64Mi
`);
  const rt = await waitObj(cp, ['alluxioruntime', 'broken'], (o) => condition(o, 'Ready')?.reason === 'UFSUnreachable' && /under storage is not usable/.test(String(o.status?.['fuseReason'] ?? '')),
    'runtime Ready=False UFSUnreachable with the FUSE cause', 180_000);
  const ready = condition(rt, 'Ready');
  assert.equal(ready?.status, 'False');
  assert.match(ready?.message ?? '', /broken-fuse-[a-z0-9]{5}: fluid engine fuse: mount "broken": under storage is not usable: .*500/);
  assert.equal(rt.status?.['fusePhase'], 'NotReady');
  assert.equal(rt.status?.['masterPhase'], 'Ready', 'the master listed the UFS; only the FUSE fails');

  // The kubelet's FallbackToLogsOnError: the last log line is the container's termination message.
  const fusePod = cp.json<{ items: { metadata: { name: string }; status: { containerStatuses: { lastState?: { terminated?: { message?: string; exitCode?: number } } }[] } }[] }>(['get', 'pods', '-l', 'role=broken-fuse'])?.items[0];
  assert.match(fusePod?.status.containerStatuses[0]?.lastState?.terminated?.message ?? '', /under storage is not usable/);
  assert.equal(fusePod?.status.containerStatuses[0]?.lastState?.terminated?.exitCode, 1);

  // An Event, selected as kubectl describe selects them (involvedObject fields and uid).
  const uid = (rt.metadata?.['uid'] as string | undefined) ?? '';
  const events = cp.json<{ items: { type: string; reason: string; message: string; count: number; source: { component: string } }[] }>(['get', 'events', '--field-selector', `involvedObject.kind=AlluxioRuntime,involvedObject.name=broken,involvedObject.namespace=default,involvedObject.uid=${uid}`]);
  const warning = events?.items.find((e) => e.reason === 'UFSUnreachable');
  assert.equal(warning?.type, 'Warning');
  assert.match(warning?.message ?? '', /under storage is not usable/);
  assert.ok((warning?.count ?? 0) >= 1);
  assert.equal(warning?.source.component, 'AlluxioRuntime');
  const describe = cp.k(['describe', 'alluxioruntime', 'broken']);
  assert.match(describe.slice(describe.indexOf('Events:')), /Warning\s+UFSUnreachable\s+.*AlluxioRuntime\s+.*under storage is not usable/);

  // The Dataset names the cause.
  const ds = await waitObj(cp, ['dataset', 'broken'], (o) => /under storage is not usable/.test(condition(o, 'Ready')?.message ?? ''), 'dataset condition names the cause', 60_000);
  assert.equal(ds.status?.['phase'], 'NotBound');
  assert.equal(condition(ds, 'Ready')?.reason, 'UFSUnreachable');
  assert.doesNotMatch(condition(ds, 'Ready')?.message ?? '', /binds this dataset yet/);
  const dsDescribe = await waitFor('kubectl describe dataset shows the Warning', () => {
    const text = cp.k(['describe', 'dataset', 'broken']);
    return /Warning\s+UFSUnreachable/.test(text.slice(text.indexOf('Events:'))) ? text : undefined;
  }, 30_000, 500);
  assert.match(dsDescribe, /AlluxioRuntime "broken" is not ready/);

  cp.k(['delete', 'alluxioruntime', 'broken']);
  cp.k(['delete', 'dataset', 'broken']);
});

// GIVEN `fluid apiserver` under a client creating 100 objects, WHEN it is SIGKILLed midway and
// restarted, THEN every acknowledged object is present and intact, every object is either
// fully present or absent, and the server starts cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort, sha256, tempDir, waitFor } from '../../support/proc.js';
import { startApiServerProcess } from './harness.js';

interface Cm { metadata: { name: string; annotations?: Record<string, string> }; data?: Record<string, string> }

test('GIVEN a client creating 100 objects WHEN the API server is SIGKILLed and restarted THEN acknowledged objects survive intact and none is partial', async (t) => {
  const home = tempDir(t, 'fluid-apiserver-');
  const port = await freePort();
  const first = await startApiServerProcess(t, home, port);
  const c = first.cluster;
  const acked = new Set<string>();
  const attempted = new Set<string>();
  const payload = (i: number): string => `${String(i).padStart(3, '0')}:${'abcdefghij'.repeat(2000)}`; // ~20 KB each

  // Four concurrent writers, as a client loop applying objects; record what the server acknowledged.
  let next = 0;
  let killed = false;
  const writer = async (): Promise<void> => {
    while (next < 100 && !killed) {
      const i = next++;
      const name = `obj-${i}`;
      const data = payload(i);
      attempted.add(name);
      try {
        const r = await c.api('POST', '/api/v1/namespaces/default/configmaps', {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations: { sha256: sha256(data) } }, data: { payload: data } },
        });
        if (r.status === 201) acked.add(name);
      } catch {
        // connection reset by the kill: not acknowledged
      }
    }
  };
  const writers = [writer(), writer(), writer(), writer()];
  await waitFor('some acknowledged creates', () => acked.size >= 30, 60_000, 5);
  await first.proc.kill('SIGKILL');
  killed = true;
  await Promise.all(writers);
  assert.ok(acked.size >= 30 && acked.size < 100, `killed mid-run (acked ${acked.size})`);

  const second = await startApiServerProcess(t, home, port);
  const list = await second.cluster.api('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(list.status, 200);
  const items = list.json<{ items: Cm[] }>().items.filter((o) => o.metadata.name.startsWith('obj-'));
  const present = new Map(items.map((o) => [o.metadata.name, o]));
  for (const name of acked) assert.ok(present.has(name), `acknowledged ${name} is present after restart`);
  for (const o of items) {
    assert.ok(attempted.has(o.metadata.name));
    const data = o.data?.payload ?? '';
    assert.equal(sha256(data), o.metadata.annotations?.sha256, `${o.metadata.name} is intact`);
    assert.equal(data, payload(Number(o.metadata.name.slice(4))));
  }
  // The restarted server keeps working: a create, a watch-visible resourceVersion, a delete.
  const again = await second.cluster.api('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } } });
  assert.equal(again.status, 201, again.text);
  assert.equal((await second.cluster.api('DELETE', '/api/v1/namespaces/default/configmaps/after-restart')).status, 200);
  await second.proc.kill('SIGTERM');
  assert.equal(await second.proc.exited, 0, second.proc.output());
});

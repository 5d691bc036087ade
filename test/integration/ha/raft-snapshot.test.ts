// Snapshot install between real masters: a master that was down while the others compacted their
// logs catches up through a snapshot sent over POST /raft/snapshot, and later leads with the
// complete state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { masterClient } from '../../support/engine-cluster.js';
import { mount } from '../../support/engine-cluster.js';
import { tempDir, waitFor } from '../../support/proc.js';
import { startHaCluster } from './ha-cluster.js';

function registerFake(mc: ReturnType<typeof masterClient>, n: number): Promise<unknown> {
  return mc.call('registerWorker', {
    workerId: `fake-${n}`, instanceId: `fake-${n}`, uid: 0, tierPaths: [], address: `127.0.0.1:${10_000 + n}`, host: '127.0.0.1', tiers: [], blocks: [],
  } as never);
}

test('GIVEN a master down while the others compact WHEN it returns THEN it installs a snapshot and can lead with every acknowledged write', async (t) => {
  const root = tempDir(t, 'fluid-ha-snap-');
  mkdirSync(join(root, 'x'));
  writeFileSync(join(root, 'x', 'f'), 'data');
  const cluster = await startHaCluster(t, { size: 3, mounts: [mount('d', `local://${root}`)], properties: { 'fluid.master.journal.checkpoint.period.entries': '20' } });
  const a = await cluster.leader();
  const [b, c] = cluster.masters.filter((m) => m !== a) as [typeof a, typeof a];
  const mc = masterClient(cluster.addresses, { attemptTimeoutMs: 3000 });
  await waitFor('metadata loaded', async () => (await mc.stats()).metadataComplete, 30_000);

  await c.kill();
  for (let n = 0; n < 60; n++) await registerFake(mc, n);
  c.start();
  await waitFor('snapshot installed on the returning master', () => /raft snapshot installed/.test(c.proc?.output() ?? ''), 30_000);

  // Only a and c remain: c must take part in every commit from now on.
  await b.kill();
  for (let n = 60; n < 70; n++) await registerFake(mc, n);
  // Then a goes, b returns: c holds the newest log, so c must lead, with the complete state.
  await a.kill();
  b.start();
  const leader = await cluster.leader();
  assert.equal(leader.id, c.id);
  const ids = new Set((await mc.workers()).workers.map((w) => w.id));
  const missing = Array.from({ length: 70 }, (_, n) => `fake-${n}`).filter((id) => !ids.has(id));
  assert.deepEqual(missing, []);
});

// Restart all three masters of a Raft group (SIGKILL, then start): the namespace and block map
// are identical afterwards, and data a worker cached before is served again as a cache hit,
// without refetching from the under storage (which is gone by then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { masterClient, workerClient } from '../../support/engine-cluster.js';
import { mount, readBlocks, startWorker } from '../../support/engine-cluster.js';
import { sha256, tempDir, waitFor } from '../../support/proc.js';
import { writeRandomFile } from '../../support/servers.js';
import { startHaCluster } from './ha-cluster.js';

test('GIVEN a Raft group with a worker holding cached blocks WHEN all three masters are SIGKILLed and restarted with the storage gone THEN state is identical and reads are cache hits', async (t) => {
  const root = tempDir(t, 'fluid-ha-all-');
  writeRandomFile(join(root, 'data.bin'), 5 * 1024 * 1024 + 77, 9);
  const src = readFileSync(join(root, 'data.bin'));
  const mounts = [mount('d', `local://${root}`)];
  const cluster = await startHaCluster(t, { size: 3, mounts, properties: { 'fluid.worker.block.size': '1MiB', 'fluid.master.metadata.sync.interval': '-1' } });
  await cluster.leader();
  const mc = masterClient(cluster.addresses, { attemptTimeoutMs: 3000 });
  await waitFor('metadata loaded', async () => (await mc.stats()).metadataComplete, 30_000);
  const worker = await startWorker(t, { id: 'w1', masters: cluster.addresses, mounts });
  const wc = workerClient(worker.address);
  const first = await readBlocks(await mc.getBlockInfo('/d/data.bin'), [wc]);
  assert.equal(sha256(first.bytes), sha256(src));
  const info = await waitFor('block map complete', async () => {
    const i = await mc.getBlockInfo('/d/data.bin');
    return i.blocks.every((b) => b.locations.length === 1) ? i : undefined;
  });
  const before = { listing: await mc.listStatus('/d'), info, workers: (await mc.workers()).workers.map((w) => w.id) };

  for (const m of cluster.masters) await m.kill();
  renameSync(root, `${root}.gone`);
  t.after(() => { try { renameSync(`${root}.gone`, root); } catch { /* already back */ } });
  for (const m of cluster.masters) m.start();
  await cluster.leader();
  const after = { listing: await mc.listStatus('/d'), info: await mc.getBlockInfo('/d/data.bin'), workers: (await mc.workers()).workers.map((w) => w.id) };
  assert.deepEqual(after, before);
  const again = await readBlocks(after.info, [wc]);
  assert.equal(sha256(again.bytes), sha256(src));
  assert.deepEqual([...new Set(again.outcomes)], ['hit'], 'served from the worker cache, not refetched');
});

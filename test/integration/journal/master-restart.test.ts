// A single real master with its file journal: SIGKILL it while its under storage is gone (seed 000:
// nginx stopped) and restart it. The namespace, the block map and the statistics come back
// exactly from the journal (the worker is down, so nothing is re-registered), a torn tail record
// written by the crash is dropped without harm, and the worker's cached blocks are served again
// as hits. `fluid journal format` empties the journal.
import { blockRefOf } from '../../../src/core/blockstore/block-id.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { masterClient, workerClient } from '../../support/engine-cluster.js';
import { listTree, mount, readBlocks, startMaster, startWorker } from '../../support/engine-cluster.js';
import { runFluid, sha256, tempDir, waitFor } from '../../support/proc.js';
import { writeRandomFile } from '../../support/servers.js';

const MiB = 1024 * 1024;

test('GIVEN a master with cached blocks WHEN it is SIGKILLed and restarted with its storage gone THEN the exact namespace, block map and stats come back from the journal', async (t) => {
  const root = tempDir(t, 'fluid-journal-src-');
  mkdirSync(join(root, 'sub/deep'), { recursive: true });
  writeRandomFile(join(root, 'big.bin'), 9 * MiB + 123, 1);
  writeRandomFile(join(root, 'sub/a.bin'), 300_000, 2);
  writeRandomFile(join(root, 'sub/deep/b.txt'), 1234, 3);
  const mounts = [mount('d', `local://${root}`)];
  let master = await startMaster(t, { mounts, properties: {
    'fluid.worker.block.size': '4MiB', 'fluid.master.worker.timeout': '10min', 'fluid.master.journal.checkpoint.period.entries': '50',
    'fluid.master.metadata.sync.interval': '-1',
  } });
  const worker = await startWorker(t, { id: 'w1', masters: [master.address], mounts });
  const mc = masterClient([master.address]);
  const wc = workerClient(worker.address);
  await waitFor('metadata loaded', async () => (await mc.stats()).metadataComplete);
  await waitFor('worker registered', async () => (await mc.workers()).workers.length === 1);
  const src = readFileSync(join(root, 'big.bin'));
  assert.equal(sha256((await readBlocks(await mc.getBlockInfo('/d/big.bin'), [wc])).bytes), sha256(src));
  const info = await waitFor('block map complete', async () => {
    const i = await mc.getBlockInfo('/d/big.bin');
    return i.blocks.every((b) => b.locations.length === 1) ? i : undefined;
  });
  // Crash the worker first (so nothing can re-register and rebuild the block map, and the state
  // stops changing), then the master, with the under storage unreachable: everything must come
  // from the journal.
  await worker.proc.kill('SIGKILL');
  const before = { tree: await listTree(mc, '/d'), info, stats: await mc.stats() };
  await master.proc.kill('SIGKILL');
  renameSync(root, `${root}.gone`);
  t.after(() => { try { renameSync(`${root}.gone`, root); } catch { /* already back */ } });
  master = await master.restart();
  const after = { tree: await listTree(mc, '/d'), info: await mc.getBlockInfo('/d/big.bin'), stats: await mc.stats() };
  assert.deepEqual(after, before);
  assert.match(master.proc.output(), /journal recovered/);

  // A torn record at the end of the log (a crash mid-write) is dropped; the state is unchanged.
  await master.proc.kill('SIGKILL');
  const logDir = join(JSON.parse(readFileSync(master.configFile, 'utf8')).journalDir as string, 'log');
  const seg = readdirSync(logDir).sort().pop() ?? '';
  appendFileSync(join(logDir, seg), Buffer.from([0, 0, 1, 0, 0xde, 0xad]));
  master = await master.restart();
  assert.match(master.proc.output(), /dropped a torn or corrupt tail/);
  assert.deepEqual({ tree: await listTree(mc, '/d'), info: await mc.getBlockInfo('/d/big.bin') }, { tree: before.tree, info: before.info });
  // The worker comes back with its cache: the block is served as a hit (the UFS is gone).
  await worker.restart();
  const again = await wc.readBlock(blockRefOf(info, info.blocks[0]!));
  assert.equal(again.cache, 'hit');

  // Format: the journal is emptied.
  await master.proc.kill('SIGKILL');
  const journalDir = JSON.parse(readFileSync(master.configFile, 'utf8')).journalDir as string;
  const f = runFluid(['journal', 'format', '--dir', journalDir]);
  assert.equal(f.code, 0, f.stderr);
  const i2 = runFluid(['journal', 'info', '--dir', journalDir]);
  assert.match(i2.stdout, /log segments\s+0 file\(s\)/);
  assert.match(i2.stdout, /checkpoints\s+0 file\(s\)/);
});

test('GIVEN a single master with journal type EMBEDDED WHEN it is SIGKILLed and restarted THEN its one-member Raft journal restores the namespace', async (t) => {
  const root = tempDir(t, 'fluid-journal-emb-');
  mkdirSync(join(root, 'x'));
  writeRandomFile(join(root, 'x/f.bin'), 1000, 5);
  const mounts = [mount('d', `local://${root}`)];
  let master = await startMaster(t, { mounts, properties: { 'alluxio.master.journal.type': 'EMBEDDED', 'fluid.master.metadata.sync.interval': '-1' } });
  const mc = masterClient([master.address]);
  await waitFor('metadata loaded', async () => (await mc.stats()).metadataComplete);
  const before = await listTree(mc, '/d');
  assert.match(master.proc.output(), /raft journal started/);
  await master.proc.kill('SIGKILL');
  renameSync(root, `${root}.gone`);
  t.after(() => { try { renameSync(`${root}.gone`, root); } catch { /* already back */ } });
  master = await master.restart();
  assert.deepEqual(await listTree(mc, '/d'), before);
});

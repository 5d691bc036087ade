// Master + workers as real processes over a local directory and over real nginx: bytes read
// through the workers equal the source (sha256), stats match, quotas hold, corrupt blocks are
// refetched, a SIGKILLed worker is dropped, and bad storage gives a clear error without a hang.
import { blockIdOf, blockRefOf } from '../../../src/core/blockstore/block-id.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, statSync, utimesSync, openSync, readFileSync, readdirSync, truncateSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPath, RpcRemoteError } from '../../../src/adapters/engine-client/index.js';
import { masterClient, workerClient } from '../../support/engine-cluster.js';
import { healthz, mount, readBlocks, startMaster, startWorker, waitHealthy } from '../../support/engine-cluster.js';
import { sha256, tempDir, waitFor, freePort } from '../../support/proc.js';
import { startNginx, writeRandomFile } from '../../support/servers.js';

const MiB = 1024 * 1024;
const FILES: [string, number][] = [['big.bin', 21 * MiB + 12345], ['sub/mid.bin', 1_150_000], ['sub/deep/small.txt', 29 * 1024], ['empty.dat', 0]];

function fixture(t: { after(fn: () => void): void }): { root: string; total: number } {
  const root = tempDir(t, 'fluid-engine-src-');
  chmodSync(root, 0o755); // nginx workers run unprivileged and must traverse it
  mkdirSync(join(root, 'sub/deep'), { recursive: true });
  FILES.forEach(([p, size], i) => writeRandomFile(join(root, p), size, i + 11));
  return { root, total: FILES.reduce((s, [, n]) => s + n, 0) };
}

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

test('GIVEN a master and two workers over a local dir and nginx WHEN every file is read through the workers THEN bytes match the source and stats report UFS total and cached bytes', async (t) => {
  const { root, total } = fixture(t);
  const nginx = await startNginx(t, root);
  const mounts = [mount('local', `local://${root}`), mount('web', nginx.url)];
  const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '4MiB' } });
  const w1 = await startWorker(t, { id: 'w1', masters: [master.address], mounts });
  const w2 = await startWorker(t, { id: 'w2', masters: [master.address], mounts });
  const mc = masterClient([master.address]);
  const workers = [workerClient(w1.address), workerClient(w2.address)];

  // The root lists one directory per mount; the background load makes stats complete.
  assert.deepEqual((await mc.listStatus('/')).entries.map((e) => e.path), ['/local', '/web']);
  const stats = await waitFor('complete metadata', async () => { const s = await mc.stats(); return s.metadataComplete ? s : null; });
  assert.equal(stats.ufsTotalBytes, 2 * total);
  assert.equal(stats.fileCount, 2 * FILES.length);
  assert.equal(stats.cacheCapacityBytes, 2 * 512 * MiB);
  await waitFor('both workers registered', async () => (await mc.workers()).workers.length === 2);

  let blockBytes = 0;
  for (const m of ['local', 'web']) {
    for (const [p] of FILES) {
      const info = await mc.getBlockInfo(`/${m}/${p}`);
      assert.equal(info.blockSize, 4 * MiB);
      const { bytes, outcomes } = await readBlocks(info, workers);
      assert.equal(sha256(bytes), sha256(readFileSync(join(root, p))), `${m}/${p}`);
      assert.ok(outcomes.every((o) => o === 'miss'), `first read of ${m}/${p}: ${outcomes.join(',')}`);
      blockBytes += info.size;
    }
  }
  // Second read: every block is a cache hit, and the master knows where each block lives.
  // Blocks reach the master with the next heartbeat (300 ms).
  const big = await waitFor('each block of big.bin cached once', async () => {
    const info = await mc.getBlockInfo('/web/big.bin');
    return info.blocks.every((b) => b.locations.length === 1) ? info : null;
  });
  const again = await readBlocks(big, workers);
  assert.deepEqual([...new Set(again.outcomes)], ['hit']);
  assert.equal(sha256(again.bytes), sha256(readFileSync(join(root, 'big.bin'))));
  await waitFor('cachedBytes = all blocks', async () => (await mc.stats()).cachedBytes === blockBytes);

  // A part of a block (HTTP Range) and a short-circuit open of the block file.
  const b1 = big.blocks[1];
  assert.ok(b1);
  const ref = blockRefOf(big, b1);
  const holder = workerClient(b1.locations[0]?.address ?? '');
  const part = await holder.readBlock(ref, { start: 1000, length: 5000 });
  assert.deepEqual(part.bytes, readFileSync(join(root, 'big.bin')).subarray(b1.offset + 1000, b1.offset + 6000));
  const local = await holder.openLocalBlock(ref);
  assert.equal(local.length, b1.length);
  assert.equal(`sha256:${sha256(readFileSync(local.file))}`, local.checksum);
  assert.deepEqual(readFileSync(local.file), readFileSync(join(root, 'big.bin')).subarray(b1.offset, b1.offset + b1.length));
  await holder.closeLocalBlock(local.handle);

  // Worker stats and metrics agree.
  const ws = await workers[0]?.stats();
  assert.ok(ws && ws.misses > 0 && ws.hits > 0 && ws.masterConnected);
  const metrics = await (await fetch(`http://${master.address}/metrics`)).text();
  assert.match(metrics, new RegExp(`fluid_master_ufs_total_bytes ${2 * total}`));
  await nginx.stop();
});

test('GIVEN a tier quota smaller than the dataset WHEN the dataset is read twice THEN reads succeed and the tier stays within its quota', async (t) => {
  const { root } = fixture(t);
  const mounts = [mount('d', `local://${root}`)];
  const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '2MiB' } });
  const quota = 7 * MiB;
  const w = await startWorker(t, {
    id: 'small', masters: [master.address], mounts,
    tiers: (dir) => [{ mediumtype: 'MEM', paths: [join(dir, 'mem')], quotas: [quota], high: 0.9, low: 0.5 }],
  });
  const mc = masterClient([master.address]);
  const wc = workerClient(w.address);
  const src = readFileSync(join(root, 'big.bin'));
  for (let round = 0; round < 2; round++) {
    const info = await mc.getBlockInfo('/d/big.bin');
    const { bytes } = await readBlocks(info, [wc]);
    assert.equal(sha256(bytes), sha256(src));
    assert.ok(duBytes(join(w.dir, 'mem')) <= quota, `tier dir uses ${duBytes(join(w.dir, 'mem'))} > quota ${quota}`);
  }
  const s = await wc.stats();
  assert.ok(s.evictedBlocks > 0, 'blocks were evicted');
  assert.ok((s.tiers[0]?.usedBytes ?? 0) <= quota * 0.9);

  // A block larger than the whole tier is streamed through without caching.
  const master2 = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '16MiB' } });
  const mc2 = masterClient([master2.address]);
  const info = await mc2.getBlockInfo('/d/big.bin');
  const r = await readBlocks(info, [wc]);
  assert.equal(sha256(r.bytes), sha256(src));
  assert.equal(r.outcomes[0], 'bypass');
});

test('GIVEN a cached block WHEN its file is truncated or has bytes flipped THEN the worker detects it, refetches, and returns the right bytes', async (t) => {
  const { root } = fixture(t);
  const mounts = [mount('d', `local://${root}`)];
  const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '4MiB' } });
  const w = await startWorker(t, { id: 'w', masters: [master.address], mounts });
  const mc = masterClient([master.address]);
  const wc = workerClient(w.address);
  const info = await mc.getBlockInfo('/d/big.bin');
  const src = readFileSync(join(root, 'big.bin'));
  await readBlocks(info, [wc]);
  // Block files are written behind the reader: wait until all are on disk before corrupting one.
  await waitFor('all blocks stored', async () => (await wc.stats()).blockCount === info.blocks.length);
  const b = info.blocks[2];
  assert.ok(b);
  const blk = join(w.dir, 'mem', 'fluid-blocks', `${b.blockId}.blk`);
  const ref = blockRefOf(info, b);
  const expected = src.subarray(b.offset, b.offset + b.length);

  truncateSync(blk, 1234);
  const r1 = await wc.readBlock(ref);
  assert.equal(r1.cache, 'miss');
  assert.deepEqual(r1.bytes, expected);

  // The refetched block is written to the tier behind the reader.
  await waitFor('refetched block file', () => existsSync(blk) && statSync(blk).size === b.length);
  const fd = openSync(blk, 'r+');
  writeSync(fd, Buffer.from('corrupted!'), 0, 10, 100_000);
  closeSync(fd);
  const local = await wc.openLocalBlock(ref);
  assert.deepEqual(readFileSync(local.file), expected);
  await wc.closeLocalBlock(local.handle);
  const s = await wc.stats();
  assert.equal(s.corruptBlocksDropped, 2);
  assert.match(w.proc.output(), /corrupt block dropped/);

  // A restart rescans the tier, drops a block corrupted while it was down, keeps the others.
  await w.proc.kill('SIGKILL');
  const fd2 = openSync(blk, 'r+');
  writeSync(fd2, Buffer.from('again'), 0, 5, 10);
  closeSync(fd2);
  const w2 = await w.restart();
  const wc2 = workerClient(w2.address);
  const s2 = await wc2.stats();
  assert.equal(s2.corruptBlocksDropped, 1);
  assert.equal(s2.blockCount, info.blocks.length - 1);
  assert.deepEqual((await wc2.readBlock(ref)).bytes, expected);
  // The refetched block is written behind the reader (as above): wait for it rather than race it.
  await waitFor('refetched block file written', () => readdirSync(join(w.dir, 'mem', 'fluid-blocks')).filter((f) => f.endsWith('.blk')).length === info.blocks.length);
});

test('GIVEN two workers WHEN one is killed with SIGKILL THEN the master drops it and its block locations after the heartbeat timeout, and a master restart gets a full re-registration', async (t) => {
  const { root } = fixture(t);
  const mounts = [mount('d', `local://${root}`)];
  const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '4MiB', 'fluid.master.worker.timeout': '2s' } });
  const w1 = await startWorker(t, { id: 'w1', masters: [master.address], mounts });
  const w2 = await startWorker(t, { id: 'w2', masters: [master.address], mounts });
  const mc = masterClient([master.address]);
  await waitFor('both workers registered', async () => (await mc.workers()).workers.length === 2);
  const r = await loadPath(mc, '/d');
  assert.equal(r.failed.length, 0);
  assert.equal(r.files, FILES.length);
  await waitFor('blocks reported', async () => (await mc.getBlockInfo('/d/big.bin')).blocks.every((b) => b.locations.length === 1));
  // Blocks are spread by a hash of their ids, so either worker may hold them: the victim is the
  // holder of block 0, the survivor the other one.
  const holder = (await mc.getBlockInfo('/d/big.bin')).blocks[0]?.locations[0]?.workerId;
  const [victim, survivor] = holder === 'w1' ? [w1, w2] : [w2, w1];
  const onVictim = (await mc.getBlockInfo('/d/big.bin')).blocks.filter((b) => b.locations[0]?.workerId === victim.id).length;
  assert.ok(onVictim > 0, `some blocks were loaded into ${victim.id}`);

  await victim.proc.kill('SIGKILL');
  await waitFor(`${victim.id} dropped`, async () => (await mc.workers()).workers.map((w) => w.id).join() === survivor.id, 30_000);
  const after = await mc.getBlockInfo('/d/big.bin');
  assert.ok(after.blocks.every((b) => b.locations.every((l) => l.workerId === survivor.id)));
  assert.match(master.proc.output(), /workers lost/);

  // Master restart: its state is rebuilt; the survivor re-registers with all its blocks.
  const survivorBlocks = (await workerClient(survivor.address).stats()).blockCount;
  await master.proc.kill('SIGKILL');
  const m2 = await master.restart();
  const mc2 = masterClient([m2.address]);
  await waitFor(`${survivor.id} re-registered`, async () => (await mc2.workers()).workers.find((w) => w.id === survivor.id)?.blockCount === survivorBlocks, 30_000);
});

test('GIVEN storage that answers 404 or is unreachable WHEN a master starts THEN /healthz stays 503 with the reason, calls fail fast, and the process keeps running', async (t) => {
  const { root } = fixture(t);
  const nginx = await startNginx(t, root);
  const deadPort = await freePort();
  const m404 = await startMaster(t, { mounts: [mount('gone', `${nginx.url}no-such-dir/`)], waitOk: false });
  const mDead = await startMaster(t, { mounts: [mount('dead', `http://127.0.0.1:${deadPort}/data/`)], waitOk: false });
  for (const [m, pattern] of [[m404, /mount gone .*not found/i], [mDead, /mount dead .*(unavailable|refused|ECONNREFUSED)/i]] as const) {
    const h = await waitFor('503 with a reason', async () => { const x = await healthz(m.address); return x.status === 503 && pattern.test(x.body) ? x : null; }, 30_000);
    assert.match(h.body, pattern);
    const mc = masterClient([m.address], { failoverTimeoutMs: 2000 });
    const err = await mc.getStatus(`/${m === m404 ? 'gone' : 'dead'}/big.bin`).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof RpcRemoteError, `expected a remote error, got ${String(err)}`);
    assert.match(err.message, /not found|unavailable|refused/i);
    assert.equal(m.proc.child.exitCode, null, 'master still running');
  }
  assert.match(m404.proc.output(), /under storage listing failed/);

  // A worker asked for a block of a missing file answers 404 at once.
  const master = await startMaster(t, { mounts: [mount('d', `local://${root}`)] });
  const w = await startWorker(t, { id: 'w', masters: [master.address], mounts: [mount('d', nginx.url)] });
  const missing = { mount: 'd', ufsPath: '/missing.bin', fingerprint: '', blockSize: 1 << 20, offset: 0, length: 100 };
  const err = await workerClient(w.address).readBlock({ ...missing, blockId: blockIdOf('d', '/missing.bin', '', 1 << 20, 0) }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof RpcRemoteError);
  assert.equal(err.status, 404);
  await waitHealthy(w.address, w.proc);
  await nginx.stop();
});

test('GIVEN a file rewritten in the UFS WHEN the master reloads its metadata THEN the file gets new block ids and reads return the new bytes', async (t) => {
  const { root } = fixture(t);
  const mounts = [mount('d', `local://${root}`)];
  const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '1MiB' } });
  const w = await startWorker(t, { id: 'w', masters: [master.address], mounts });
  const mc = masterClient([master.address]);
  const wc = workerClient(w.address);
  const before = await mc.getBlockInfo('/d/sub/mid.bin');
  assert.equal(sha256((await readBlocks(before, [wc])).bytes), sha256(readFileSync(join(root, 'sub/mid.bin'))));
  // Blocks are written behind the reader: wait until they are stored before asking for a hit.
  await waitFor('the old version\'s blocks stored', async () => (await wc.stats()).blockCount >= before.blocks.length, 10_000);

  writeRandomFile(join(root, 'sub/mid.bin'), 1_500_000, 999);
  utimesSync(join(root, 'sub/mid.bin'), new Date(), new Date(Date.now() + 5000));
  // Cached blocks of the old version stay consistent with their ids; an uncached block of the old
  // version is refused (the fill checks the fingerprint) instead of mixing old and new bytes.
  const stale = before.blocks[1];
  assert.ok(stale);
  assert.equal((await wc.readBlock(blockRefOf(before, stale))).cache, 'hit');
  // The same version laid out in 512 KiB blocks: a valid id that no worker holds, so it must be filled.
  const half = 512 * 1024;
  const uncached = { mount: 'd', ufsPath: '/sub/mid.bin', fingerprint: before.fingerprint, blockSize: half, offset: 0, length: half };
  const err = await wc.readBlock({ ...uncached, blockId: blockIdOf('d', '/sub/mid.bin', before.fingerprint, half, 0) }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof RpcRemoteError && err.code === 'UfsChanged', `expected UfsChanged, got ${String(err)}`);

  const r = await mc.loadMetadata('/d/sub', true);
  assert.ok(r.directoriesListed >= 1);
  const after = await mc.getBlockInfo('/d/sub/mid.bin');
  assert.equal(after.size, 1_500_000);
  assert.notEqual(after.fingerprint, before.fingerprint);
  assert.ok(after.blocks.every((b) => !before.blocks.some((o) => o.blockId === b.blockId)), 'all block ids changed');
  const { bytes, outcomes } = await readBlocks(after, [wc]);
  assert.deepEqual([...new Set(outcomes)], ['miss']);
  assert.equal(sha256(bytes), sha256(readFileSync(join(root, 'sub/mid.bin'))));
});

test('GIVEN one missing block WHEN four readers ask for it at once THEN the worker fills it from the UFS once and all get the same bytes', async (t) => {
  const { root } = fixture(t);
  const mounts = [mount('d', `local://${root}`)];
  const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': '8MiB' } });
  const w = await startWorker(t, { id: 'w', masters: [master.address], mounts });
  const info = await masterClient([master.address]).getBlockInfo('/d/big.bin');
  const b = info.blocks[0];
  assert.ok(b);
  const wc = workerClient(w.address);
  const ref = blockRefOf(info, b);
  const reads = await Promise.all([wc.readBlock(ref), wc.readBlock(ref), wc.openLocalBlock(ref), wc.readBlock(ref, { start: 5, length: 10 })]);
  const expected = readFileSync(join(root, 'big.bin')).subarray(0, b.length);
  assert.deepEqual(reads[0].bytes, expected);
  assert.deepEqual(reads[1].bytes, expected);
  assert.deepEqual(readFileSync(reads[2].file), expected);
  assert.deepEqual(reads[3].bytes, expected.subarray(5, 15));
  const s = await wc.stats();
  assert.equal(s.ufsBytesRead, b.length);
  assert.equal(s.misses, 1);
});

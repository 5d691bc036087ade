// The on-disk block store: checksums catch truncated and bit-flipped block files, which are dropped
// (never returned); a restart rescans, keeps good blocks and deletes bad ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlockStore, BLOCK_SUBDIR } from '../../../src/adapters/blockstore/file-block-store.js';
import { LruPolicy } from '../../../src/core/blockstore/eviction-policy.js';

const ID1 = 'a'.repeat(32);
const ID2 = 'b'.repeat(32);
const ID3 = 'c'.repeat(32);

function setup(t: { after(fn: () => void): void }, quota = 1 << 20): { dir: string; open(): FileBlockStore } {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-bs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = 0;
  return { dir, open: () => new FileBlockStore([{ medium: 'MEM', path: dir, quota, high: 1, low: 0.5 }], () => new LruPolicy(), () => ++now) };
}

test('GIVEN a stored block WHEN it is read back THEN the file holds the bytes and the checksum is their sha256', async (t) => {
  const { open } = setup(t);
  const s = open();
  await s.init();
  const bytes = randomBytes(100_000);
  assert.deepEqual(await s.put(ID1, bytes), { stored: true, tier: 'MEM' });
  const v = await s.verified(ID1);
  assert.ok(v);
  assert.deepEqual(readFileSync(v.file), bytes);
  assert.equal(v.checksum, `sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  assert.deepEqual(s.drainChanges(), { added: [{ blockId: ID1, length: 100_000, tier: 'MEM' }], removed: [] });
});

test('GIVEN a cached block WHEN its file is truncated THEN verification drops it and reports it removed', async (t) => {
  const { open } = setup(t);
  const s = open();
  await s.init();
  await s.put(ID1, randomBytes(50_000));
  s.drainChanges();
  const v = await s.verified(ID1);
  truncateSync(v?.file ?? '', 1000);
  assert.equal(await s.verified(ID1), undefined);
  assert.equal(s.has(ID1), false);
  assert.equal(s.corruptDropped, 1);
  assert.deepEqual(s.drainChanges(), { added: [], removed: [ID1] });
});

test('GIVEN a cached block WHEN bytes inside it are flipped (same length) THEN the checksum catches it and the block is dropped', async (t) => {
  const { open } = setup(t);
  const s = open();
  await s.init();
  await s.put(ID1, randomBytes(50_000));
  const v = await s.verified(ID1);
  const fd = openSync(v?.file ?? '', 'r+');
  writeSync(fd, Buffer.from([0xde, 0xad, 0xbe, 0xef]), 0, 4, 20_000);
  closeSync(fd);
  assert.equal(await s.verified(ID1), undefined);
  assert.equal(s.has(ID1), false);
});

test('GIVEN blocks on disk, one corrupt, one without sidecar and a temp file WHEN the store restarts THEN only the good block is adopted and the rest is deleted', async (t) => {
  const { dir, open } = setup(t);
  const s1 = open();
  await s1.init();
  const good = randomBytes(10_000);
  await s1.put(ID1, good);
  await s1.put(ID2, randomBytes(10_000));
  const bd = join(dir, BLOCK_SUBDIR);
  const fd = openSync(join(bd, `${ID2}.blk`), 'r+');
  writeSync(fd, Buffer.from([1, 2, 3]), 0, 3, 500);
  closeSync(fd);
  writeFileSync(join(bd, `${ID3}.blk`), 'orphan');
  writeFileSync(join(bd, `${ID3}.blk.tmp-123`), 'partial');
  const s2 = open();
  assert.deepEqual(await s2.init(), { adopted: 1, dropped: 2 });
  assert.deepEqual(readdirSync(bd).sort(), [`${ID1}.blk`, `${ID1}.meta`]);
  assert.deepEqual(s2.report(), [{ blockId: ID1, length: 10_000, tier: 'MEM' }]);
  assert.deepEqual(readFileSync((await s2.verified(ID1))?.file ?? ''), good);
});

test('GIVEN a small quota WHEN more blocks than fit are stored THEN old blocks are evicted, their files deleted, and disk use stays within quota', async (t) => {
  const { dir, open } = setup(t, 100_000);
  const s = open();
  await s.init();
  const ids = ['1', '2', '3', '4', '5'].map((c) => c.repeat(32));
  for (const id of ids) assert.equal((await s.put(id, randomBytes(30_000))).stored, true);
  const files = readdirSync(join(dir, BLOCK_SUBDIR)).filter((f) => f.endsWith('.blk'));
  assert.ok(files.length * 30_000 <= 100_000, `${files.length} blocks on disk`);
  assert.ok(s.evicted >= 2);
  assert.equal((await s.put('6'.repeat(32), randomBytes(200_000))).stored, false); // larger than the tier: bypass
});

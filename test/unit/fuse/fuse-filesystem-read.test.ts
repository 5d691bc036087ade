// FuseFilesystem's read op (the JavaScript side of the libfuse3 binding): it serves reads through
// the DataPath, clips at end of file, feeds read-ahead (including the native side's "sequential"
// hint), and hands blocks that are in a local file to the native read path once per handle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import type { BlockSlice } from '../../../src/core/fuse/block-math.js';
import type { UfsEntry } from '../../../src/core/ufs/ufs.js';
import type { DataPath, FileRef } from '../../../src/adapters/fuse/data-path.js';
import { FuseFilesystem, type NativeBlockMap } from '../../../src/adapters/fuse/fuse-filesystem.js';
import { FuseMetrics } from '../../../src/adapters/fuse/fuse-metrics.js';

const BLOCK = 1024;
const SIZE = 2 * BLOCK + 100;

class FakeData implements DataPath {
  readonly slices: BlockSlice[] = [];
  readonly prefetched: number[][] = [];
  /** block -> fd handed out by localBlockFd */
  readonly local = new Map<number, number>();
  openFile(mount: string, ufsPath: string, entry: UfsEntry): Promise<FileRef> {
    return Promise.resolve({ mount, ufsPath, size: entry.size, fingerprint: entry.fingerprint, blockSize: BLOCK });
  }
  readSlice(_file: FileRef, slice: BlockSlice, target: Buffer): Promise<void> {
    this.slices.push(slice);
    target.fill(slice.block + 1, slice.targetOffset, slice.targetOffset + slice.length);
    return Promise.resolve();
  }
  localBlockFd(_file: FileRef, block: number): number | undefined { return this.local.get(block); }
  /** Blocks a same-host worker would open on request, with the fd it would hand out. */
  readonly openable = new Map<number, number>();
  prepareLocalBlock(_file: FileRef, block: number): Promise<number | undefined> {
    const fd = this.openable.get(block);
    if (fd !== undefined) this.local.set(block, fd);
    return Promise.resolve(fd);
  }
  prefetch(_file: FileRef, blocks: readonly number[]): void { this.prefetched.push([...blocks]); }
  close(): Promise<void> { return Promise.resolve(); }
}

class FakeNative implements NativeBlockMap {
  readonly calls: { fh: number; fileSize: number; blockSize: number; block: number; fd: number }[] = [];
  mapBlock(fh: number, fileSize: number, blockSize: number, block: number, fd: number): boolean {
    this.calls.push({ fh, fileSize, blockSize, block, fd });
    return true;
  }
}

function openOne(data: FakeData, native?: NativeBlockMap): Promise<{ fs: FuseFilesystem; fh: number }> {
  const entry: UfsEntry = { name: 'f', kind: 'file', size: SIZE, mtimeMs: 1, fingerprint: 'fp' };
  const fs = new FuseFilesystem({
    mounts: [{ name: 'm' }],
    namespace: { stat: () => Promise.resolve(entry), list: () => Promise.resolve([entry]) },
    data, metrics: new FuseMetrics(), attrTtlMs: 1000,
    readahead: { minBlocks: 1, maxBlocks: 2, triggerReads: 2 },
    log: () => undefined, now: () => 0,
  });
  if (native) fs.bindNative(native);
  // Handles are numbered by the native side, which answers open itself: the first read opens.
  return Promise.resolve({ fs, fh: 7 });
}

function read(fs: FuseFilesystem, fh: number, buf: Buffer, pos: number, sequential = false): Promise<number> {
  return new Promise((resolve) => fs.ops().read('/m/f', fh, buf, pos, sequential, resolve));
}

test('GIVEN a read across a block boundary WHEN it is served THEN each block slice lands at its place in the buffer', async () => {
  const data = new FakeData();
  const { fs, fh } = await openOne(data);
  const buf = Buffer.alloc(256);
  assert.equal(await read(fs, fh, buf, BLOCK - 10), 256);
  assert.deepEqual(data.slices, [
    { block: 0, offsetInBlock: BLOCK - 10, length: 10, targetOffset: 0 },
    { block: 1, offsetInBlock: 0, length: 246, targetOffset: 10 },
  ]);
  assert.equal(buf[9], 1);
  assert.equal(buf[10], 2);
});

test('GIVEN the end of the file WHEN a read reaches it THEN the answer is clipped, and 0 at or past it', async () => {
  const { fs, fh } = await openOne(new FakeData());
  assert.equal(await read(fs, fh, Buffer.alloc(256), SIZE - 40), 40);
  assert.equal(await read(fs, fh, Buffer.alloc(256), SIZE), 0);
});

test('GIVEN blocks in local files WHEN they are read THEN each is mapped for native reads once per handle', async () => {
  const data = new FakeData();
  data.local.set(0, 40);
  const { fs, fh } = await openOne(data);
  const native = new FakeNative();
  fs.bindNative(native);
  await read(fs, fh, Buffer.alloc(64), 0);
  await read(fs, fh, Buffer.alloc(64), 64);
  await read(fs, fh, Buffer.alloc(64), BLOCK); // block 1 is not local: nothing to map
  assert.deepEqual(native.calls, [{ fh, fileSize: SIZE, blockSize: BLOCK, block: 0, fd: 40 }]);
});

test('GIVEN no native read path bound WHEN blocks are local THEN reads still succeed without mapping', async () => {
  const data = new FakeData();
  data.local.set(0, 40);
  const { fs, fh } = await openOne(data);
  assert.equal(await read(fs, fh, Buffer.alloc(64), 0), 64);
});

test('GIVEN the native side says a read continues the stream WHEN reads in between were served natively THEN read-ahead still triggers', async () => {
  const data = new FakeData();
  const { fs, fh } = await openOne(data);
  await read(fs, fh, Buffer.alloc(64), 0);
  // The native side served [64, BLOCK) itself; this read continues that stream.
  await read(fs, fh, Buffer.alloc(64), BLOCK, true);
  assert.deepEqual(data.prefetched, [[2]]);
});

test('GIVEN a jump without the sequential hint WHEN reading THEN no read-ahead is issued', async () => {
  const data = new FakeData();
  const { fs, fh } = await openOne(data);
  await read(fs, fh, Buffer.alloc(64), 0);
  await read(fs, fh, Buffer.alloc(64), BLOCK);
  assert.deepEqual(data.prefetched, []);
});

test('GIVEN a handle never read before WHEN two first reads arrive together THEN the file is opened once and both are served', async () => {
  const data = new FakeData();
  let opens = 0;
  const openFile = data.openFile.bind(data);
  data.openFile = (m, p, e) => { opens += 1; return openFile(m, p, e); };
  const { fs, fh } = await openOne(data);
  const [a, b] = await Promise.all([read(fs, fh, Buffer.alloc(64), 0), read(fs, fh, Buffer.alloc(64), 64)]);
  assert.deepEqual([a, b, opens], [64, 64, 1]);
  assert.equal(await read(fs, fh + 1, Buffer.alloc(64), 0), 64, 'another handle opens on its own first read');
  assert.equal(opens, 2);
});

test('GIVEN a handle of a path that is gone WHEN it is first read THEN the answer is -ENOENT', async () => {
  const { fs } = await openOne(new FakeData());
  const n = await new Promise<number>((resolve) => fs.ops().read('/nope/f', 9, Buffer.alloc(64), 0, false, resolve));
  assert.equal(n, -constants.errno.ENOENT);
});

test('GIVEN blocks already open locally WHEN the first read of a handle opens the file THEN they are all mapped', async () => {
  const data = new FakeData();
  data.local.set(1, 41);
  data.local.set(2, 42);
  const native = new FakeNative();
  const { fs, fh } = await openOne(data, native);
  await read(fs, fh, Buffer.alloc(64), 0);
  assert.deepEqual(native.calls.map((c) => [c.fh, c.block, c.fd]), [[fh, 1, 41], [fh, 2, 42]]);
});

test('GIVEN a sequential reader WHEN read-ahead picks the next blocks THEN they are opened locally and mapped ahead of the reads', async () => {
  const data = new FakeData();
  data.openable.set(1, 51);
  const native = new FakeNative();
  const { fs, fh } = await openOne(data, native);
  await read(fs, fh, Buffer.alloc(64), 0);
  await read(fs, fh, Buffer.alloc(64), 64);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(native.calls.map((c) => [c.block, c.fd]), [[1, 51]]);
  assert.deepEqual(data.slices.map((s) => s.block), [0, 0], 'block 1 itself was never read through JavaScript');
});

test('GIVEN a listed directory WHEN its children\'s cached stats have expired THEN one listing refreshes them, not a stat per file', async () => {
  const entries: UfsEntry[] = ['a', 'b', 'c'].map((name) => ({ name, kind: 'file', size: 10, mtimeMs: 1, fingerprint: `fp-${name}` }));
  const calls: string[] = [];
  let now = 0;
  const fs = new FuseFilesystem({
    mounts: [{ name: 'm' }],
    namespace: {
      stat: (_m, p) => { calls.push(`stat ${p}`); return Promise.resolve(entries.find((e) => `/${e.name}` === p) ?? entries[0] as UfsEntry); },
      list: (_m, p) => { calls.push(`list ${p}`); return Promise.resolve(entries); },
    },
    data: new FakeData(), metrics: new FuseMetrics(), attrTtlMs: 1000,
    readahead: { minBlocks: 1, maxBlocks: 2, triggerReads: 2 },
    log: () => undefined, now: () => now,
  });
  const getattr = (p: string): Promise<number> => new Promise((resolve) => fs.ops().getattr(p, (err, st) => resolve(err === 0 ? st?.size ?? -1 : err)));
  await new Promise((resolve) => fs.ops().readdir('/m', resolve));
  assert.deepEqual(await Promise.all(['/m/a', '/m/b', '/m/c'].map(getattr)), [10, 10, 10]);
  assert.deepEqual(calls, ['list /'], 'the listing answered the stats');
  now = 5000; // every cached entry expired
  assert.deepEqual(await Promise.all(['/m/a', '/m/b', '/m/c'].map(getattr)), [10, 10, 10]);
  assert.deepEqual(calls, ['list /', 'list /'], 'one listing again, shared by the three lookups');
});

// FuseFilesystem.readFast: the synchronous read hot path answered straight to libfuse. It must
// serve only single-block reads the data path has at hand, and hand everything else (-1) to the
// asynchronous read op, which owns errors and multi-block reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockSlice } from '../../../src/core/fuse/block-math.js';
import type { UfsEntry } from '../../../src/core/ufs/ufs.js';
import type { DataPath, FileRef } from '../../../src/adapters/fuse/data-path.js';
import { FuseFilesystem } from '../../../src/adapters/fuse/fuse-filesystem.js';
import { FuseMetrics } from '../../../src/adapters/fuse/fuse-metrics.js';

const BLOCK = 1024;
const SIZE = 2 * BLOCK + 100;

class FakeData implements DataPath {
  readonly syncSlices: BlockSlice[] = [];
  readonly prefetched: number[][] = [];
  hot = true;
  openFile(mount: string, ufsPath: string, entry: UfsEntry): Promise<FileRef> {
    return Promise.resolve({ mount, ufsPath, size: entry.size, fingerprint: entry.fingerprint, blockSize: BLOCK });
  }
  readSlice(): Promise<void> { return Promise.reject(new Error('not used')); }
  tryReadSliceSync(_file: FileRef, slice: BlockSlice, target: Buffer): boolean {
    if (!this.hot) return false;
    this.syncSlices.push(slice);
    target.fill(7, slice.targetOffset, slice.targetOffset + slice.length);
    return true;
  }
  prefetch(_file: FileRef, blocks: readonly number[]): void { this.prefetched.push([...blocks]); }
  close(): Promise<void> { return Promise.resolve(); }
}

async function openOne(data: FakeData): Promise<{ fs: FuseFilesystem; fd: number }> {
  const entry: UfsEntry = { name: 'f', kind: 'file', size: SIZE, mtimeMs: 1, fingerprint: 'fp' };
  const fs = new FuseFilesystem({
    mountNames: ['m'],
    namespace: { stat: () => Promise.resolve(entry), list: () => Promise.resolve([entry]) },
    data, metrics: new FuseMetrics(), attrTtlMs: 1000,
    readahead: { minBlocks: 1, maxBlocks: 2, triggerReads: 2 },
    log: () => undefined, now: () => 0,
  });
  const fd = await new Promise<number>((resolve, reject) => {
    fs.ops().open?.('/m/f', 0, (err, h) => (err === 0 && h !== undefined ? resolve(h) : reject(new Error(`open failed: ${err}`))));
  });
  return { fs, fd };
}

test('GIVEN an open file whose block is at hand WHEN a read stays inside one block THEN readFast copies it synchronously', async () => {
  const data = new FakeData();
  const { fs, fd } = await openOne(data);
  const buf = Buffer.alloc(256);
  assert.equal(fs.readFast(fd, buf, 256, BLOCK + 10), 256);
  assert.deepEqual(data.syncSlices, [{ block: 1, offsetInBlock: 10, length: 256, targetOffset: 0 }]);
  assert.equal(buf[255], 7);
});

test('GIVEN a read that crosses a block boundary WHEN readFast runs THEN it declines (-1) without copying', async () => {
  const data = new FakeData();
  const { fs, fd } = await openOne(data);
  assert.equal(fs.readFast(fd, Buffer.alloc(256), 256, BLOCK - 10), -1);
  assert.equal(data.syncSlices.length, 0);
});

test('GIVEN the end of the file WHEN readFast reads at or past it THEN it answers 0, and a read over it is clipped', async () => {
  const data = new FakeData();
  const { fs, fd } = await openOne(data);
  assert.equal(fs.readFast(fd, Buffer.alloc(256), 256, SIZE), 0);
  assert.equal(fs.readFast(fd, Buffer.alloc(256), 256, SIZE - 40), 40);
});

test('GIVEN a block not at hand or an unknown handle WHEN readFast runs THEN it declines (-1) so the async op answers', async () => {
  const data = new FakeData();
  const { fs, fd } = await openOne(data);
  data.hot = false;
  assert.equal(fs.readFast(fd, Buffer.alloc(64), 64, 0), -1);
  assert.equal(fs.readFast(fd + 1000, Buffer.alloc(64), 64, 0), -1);
});

test('GIVEN sequential fast reads WHEN the read-ahead window triggers THEN the next blocks are prefetched', async () => {
  const data = new FakeData();
  const { fs, fd } = await openOne(data);
  fs.readFast(fd, Buffer.alloc(512), 512, 0);
  fs.readFast(fd, Buffer.alloc(512), 512, 512);
  assert.deepEqual(data.prefetched, [[1]]);
});

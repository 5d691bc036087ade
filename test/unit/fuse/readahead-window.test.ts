import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadaheadWindow } from '../../../src/core/fuse/readahead-window.js';

const KB = 1024;

test('GIVEN a sequential reader WHEN the second read arrives THEN the next blocks are prefetched once each', () => {
  const w = new ReadaheadWindow(100 * 1000, 1000, { minBlocks: 2, maxBlocks: 8, triggerReads: 2 });
  assert.deepEqual(w.onRead(0, 500), []);
  assert.deepEqual(w.onRead(500, 500), [1, 2]);
  // Still in block 1 territory: nothing new unless the window grows.
  const seen = new Set<number>([1, 2]);
  for (let off = 1000; off < 20_000; off += 500) {
    for (const b of w.onRead(off, 500)) {
      assert.ok(!seen.has(b), `block ${b} prefetched twice`);
      assert.ok(b > Math.floor(off / 1000), 'only blocks ahead of the reader');
      seen.add(b);
    }
  }
  assert.ok(seen.has(20), 'the window keeps ahead of the reader');
});

test('GIVEN a sequential run WHEN it continues THEN the window grows up to maxBlocks', () => {
  const w = new ReadaheadWindow(1000 * KB, KB, { minBlocks: 1, maxBlocks: 4, triggerReads: 1 });
  let maxAhead = 0;
  for (let off = 0; off < 100 * KB; off += KB) {
    const got = w.onRead(off, KB);
    const last = got.at(-1);
    if (last !== undefined) maxAhead = Math.max(maxAhead, last - off / KB);
  }
  assert.equal(maxAhead, 4);
});

test('GIVEN random reads WHEN fed THEN nothing is prefetched', () => {
  const w = new ReadaheadWindow(1000 * KB, KB, { minBlocks: 2, maxBlocks: 8, triggerReads: 2 });
  for (const off of [500, 10, 900, 300, 700, 20]) assert.deepEqual(w.onRead(off * KB, 100), []);
});

test('GIVEN the end of the file WHEN reading sequentially THEN no block past the end is requested', () => {
  const w = new ReadaheadWindow(3500, 1000, { minBlocks: 8, maxBlocks: 8, triggerReads: 1 });
  assert.deepEqual(w.onRead(0, 100), [1, 2, 3]);
  assert.deepEqual(w.onRead(100, 100), []);
});

test('GIVEN reads served elsewhere in between WHEN the caller says a read continues the stream THEN the run goes on and blocks are prefetched', () => {
  const w = new ReadaheadWindow(10 * 100, 100, { minBlocks: 1, maxBlocks: 4, triggerReads: 2 });
  assert.deepEqual(w.onRead(0, 10), []);
  assert.deepEqual(w.onRead(100, 10, true), [2]);
  assert.deepEqual(w.onRead(500, 10), [], 'a jump without the hint starts a new run');
});

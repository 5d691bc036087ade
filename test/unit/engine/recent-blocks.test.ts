// The memory window for blocks fetched but not kept (core/blockstore/recent-blocks), fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentBlocks } from '../../../src/core/blockstore/recent-blocks.js';

type Step = readonly [op: 'put' | 'get', id: string, atMs: number, expect: string];

/** Each step: put ID (length from the table) at time T, or get ID at T expecting "hit"/"miss"; then the ids held. */
const CASES: { name: string; capacity: number; windowMs: number; steps: readonly Step[] }[] = [
  {
    name: 'a block is served to later readers within the window, and each read refreshes it',
    capacity: 100, windowMs: 10,
    steps: [['put', 'a', 0, 'a'], ['get', 'a', 9, 'hit'], ['get', 'a', 18, 'hit'], ['get', 'a', 28, 'miss']],
  },
  {
    name: 'over capacity, the least recently used block goes first',
    capacity: 100, windowMs: 1000,
    steps: [['put', 'a', 0, 'a'], ['put', 'b', 1, 'a,b'], ['get', 'a', 2, 'hit'], ['put', 'c', 3, 'a,c'], ['get', 'b', 4, 'miss']],
  },
  {
    name: 'a block larger than the capacity is not held; a new copy replaces the old one',
    capacity: 100, windowMs: 1000,
    steps: [['put', 'huge', 0, ''], ['put', 'a', 1, 'a'], ['put', 'a', 2, 'a'], ['get', 'a', 3, 'hit']],
  },
  {
    name: 'capacity 0 disables the window',
    capacity: 0, windowMs: 1000,
    steps: [['put', 'a', 0, ''], ['get', 'a', 0, 'miss']],
  },
];

const LENGTH: Record<string, number> = { a: 40, b: 40, c: 40, huge: 101 };

test('GIVEN not-kept blocks in the memory window WHEN read and aged THEN they are served, refreshed and dropped as recorded', () => {
  for (const c of CASES) {
    const r = new RecentBlocks<Uint8Array>({ capacityBytes: c.capacity, windowMs: c.windowMs });
    for (const [op, id, at, expect] of c.steps) {
      if (op === 'put') {
        r.put(id, new Uint8Array(LENGTH[id] ?? 1), at);
        assert.equal(r.ids().join(','), expect, `${c.name}: after put ${id}@${at}`);
      } else {
        assert.equal(r.get(id, at) ? 'hit' : 'miss', expect, `${c.name}: get ${id}@${at}`);
      }
      assert.equal(r.bytes, r.ids().reduce((n, i) => n + (LENGTH[i] ?? 1), 0), `${c.name}: byte count`);
    }
  }
});

// Tier placement, watermarks, LRU eviction and pins of the pure block store state (fake clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BlockStoreState, type DirSpec } from '../../../src/core/blockstore/block-store-state.js';
import { LruPolicy, createEvictionPolicy } from '../../../src/core/blockstore/eviction-policy.js';

const MEM: DirSpec = { medium: 'MEM', path: '/shm', quota: 100, high: 0.9, low: 0.5 };
const SSD: DirSpec = { medium: 'SSD', path: '/ssd', quota: 200, high: 1, low: 0.6 };

function put(s: BlockStoreState, id: string, len: number, now: number): ReturnType<BlockStoreState['reserve']> {
  const p = s.reserve(len, now);
  if (p.kind === 'place') s.commit(id, p.dir, len, now);
  return p;
}

test('GIVEN an empty two-tier store WHEN blocks arrive THEN they go to the top tier until its high watermark, then spill to the next tier', () => {
  const s = new BlockStoreState([MEM, SSD], () => new LruPolicy());
  assert.deepEqual(put(s, 'a', 40, 1), { kind: 'place', dir: 0, evicted: [] });
  assert.deepEqual(put(s, 'b', 40, 2), { kind: 'place', dir: 0, evicted: [] });
  // 80 + 40 > 90 (MEM high watermark): spills to SSD.
  assert.deepEqual(put(s, 'c', 40, 3), { kind: 'place', dir: 1, evicted: [] });
  assert.deepEqual(s.usage(), [{ medium: 'MEM', capacityBytes: 100, usedBytes: 80 }, { medium: 'SSD', capacityBytes: 200, usedBytes: 40 }]);
});

test('GIVEN every tier at its high watermark WHEN a block arrives THEN the top tier evicts least recently used blocks down to its low watermark', () => {
  const s = new BlockStoreState([{ ...MEM, quota: 100, high: 0.9, low: 0.5 }], () => new LruPolicy());
  put(s, 'a', 30, 1);
  put(s, 'b', 30, 2);
  put(s, 'c', 30, 3); // used 90 = high
  s.access('a', 4); // a is now most recently used; b is LRU
  const p = put(s, 'd', 30, 5);
  assert.equal(p.kind, 'place');
  // Down to min(low=50, high-len=60) = 50: evict b then c (LRU order) -> 30 left, then d -> 60.
  assert.deepEqual(p.kind === 'place' ? p.evicted.map((b) => b.blockId) : [], ['b', 'c']);
  assert.deepEqual(s.all().map((b) => b.blockId).sort(), ['a', 'd']);
  assert.equal(s.dirUsage(0).used, 60);
});

test('GIVEN pinned blocks WHEN room is needed THEN pinned blocks are never evicted, and a block that cannot get room is bypassed', () => {
  const s = new BlockStoreState([{ ...MEM, quota: 100, high: 1, low: 0.5 }], () => new LruPolicy());
  put(s, 'a', 50, 1);
  put(s, 'b', 50, 2);
  s.pin('a');
  s.pin('b');
  assert.equal(s.reserve(10, 3).kind, 'bypass');
  s.unpin('b');
  const p = put(s, 'c', 10, 4);
  assert.deepEqual(p.kind === 'place' ? p.evicted.map((b) => b.blockId) : p, ['b']);
  assert.ok(s.get('a'));
});

test('GIVEN a block larger than any tier WHEN placed THEN it is bypassed (streamed through) and nothing is evicted', () => {
  const s = new BlockStoreState([MEM, SSD], () => new LruPolicy());
  put(s, 'a', 10, 1);
  assert.equal(s.reserve(500, 2).kind, 'bypass');
  assert.ok(s.get('a'));
});

test('GIVEN reservations in flight WHEN more blocks are reserved THEN reserved bytes count against the watermark, and release returns them', () => {
  const s = new BlockStoreState([{ ...MEM, quota: 100, high: 1, low: 0.5 }], () => new LruPolicy());
  const r1 = s.reserve(60, 1);
  assert.equal(r1.kind, 'place');
  assert.equal(s.reserve(60, 1).kind, 'bypass'); // nothing evictable, 60 reserved
  if (r1.kind === 'place') s.release(r1.dir, 60);
  assert.equal(s.reserve(60, 1).kind, 'place');
});

test('GIVEN an LRU policy with a fake clock WHEN blocks are inserted and accessed THEN victims come in least-recently-used order, skipping non-evictable ones', () => {
  const lru = createEvictionPolicy('lru');
  lru.onInsert('x', 10);
  lru.onInsert('y', 20);
  lru.onInsert('z', 30);
  lru.onAccess('x', 40);
  assert.deepEqual(lru.victims(1, () => 1), ['y']);
  assert.deepEqual(lru.victims(100, () => 1), ['y', 'z', 'x']);
  assert.deepEqual(lru.victims(100, (id) => (id === 'z' ? undefined : 1)), ['y', 'x']);
  lru.onRemove('y');
  assert.deepEqual(lru.victims(1, () => 1), ['z']);
  assert.throws(() => createEvictionPolicy('ARC'), /unknown eviction policy "ARC"/);
});

test('GIVEN random insert/access/pin sequences WHEN the store places blocks THEN every directory stays within quota and pinned blocks survive', () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant('put' as const), id: fc.nat(20), len: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ k: fc.constant('access' as const), id: fc.nat(20) }),
    fc.record({ k: fc.constant('pin' as const), id: fc.nat(20) }),
    fc.record({ k: fc.constant('unpin' as const), id: fc.nat(20) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
    const s = new BlockStoreState([MEM, SSD], () => new LruPolicy());
    const pinned = new Set<string>();
    let now = 0;
    for (const o of ops) {
      now++;
      const id = `b${o.id}`;
      if (o.k === 'put') {
        if (s.get(id)) continue;
        const p = put(s, id, o.len, now);
        if (p.kind === 'place') for (const v of p.evicted) assert.ok(!pinned.has(v.blockId), `evicted pinned ${v.blockId}`);
      } else if (o.k === 'access') s.access(id, now);
      else if (o.k === 'pin' && s.get(id) && !pinned.has(id)) { s.pin(id); pinned.add(id); } else if (o.k === 'unpin' && pinned.has(id)) { s.unpin(id); pinned.delete(id); }
      for (const [i, d] of [MEM, SSD].entries()) assert.ok(s.dirUsage(i).used <= d.quota * d.high, `dir ${i} over its high watermark`);
      for (const p of pinned) assert.ok(s.get(p), `pinned ${p} is gone`);
    }
  }), { numRuns: 300, seed: 3 });
});

test('GIVEN random puts (read and read-ahead), leases, pins and a moving clock WHEN blocks are placed THEN quotas hold, pinned and freshly leased blocks survive, and no fill evicts read-ahead blocks not read yet', () => {
  const rules = { leaseGraceMs: 5, unreadHoldMs: 20 };
  const op = fc.oneof(
    fc.record({ k: fc.constant('put' as const), id: fc.nat(15), len: fc.integer({ min: 1, max: 60 }), prefetch: fc.boolean() }),
    fc.record({ k: fc.constant('access' as const), id: fc.nat(15) }),
    fc.record({ k: fc.constant('lease' as const), id: fc.nat(15), lease: fc.nat(30) }),
    fc.record({ k: fc.constant('end' as const), lease: fc.nat(30) }),
    fc.record({ k: fc.constant('pin' as const), id: fc.nat(15) }),
    fc.record({ k: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 10 }) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
    const s = new BlockStoreState([{ ...MEM, quota: 120 }], () => new LruPolicy(), rules);
    const pinned = new Set<string>();
    let now = 0;
    for (const o of ops) {
      if (o.k === 'tick') { now += o.ms; continue; }
      if (o.k === 'end') { s.endLease(`h${o.lease}`); continue; }
      const id = `b${o.id}`;
      if (o.k === 'put') {
        if (s.get(id)) continue;
        const purpose = o.prefetch ? 'prefetch' : 'read';
        const before = new Map(s.all().map((b) => [b.blockId, s.classOf(b.blockId, now)]));
        const p = s.reserve(o.len, now, purpose);
        if (p.kind === 'place') {
          for (const v of p.evicted) {
            const cls = before.get(v.blockId);
            assert.notEqual(cls, 'kept', `evicted ${v.blockId} that was pinned or freshly leased`);
            assert.notEqual(cls, 'unread', `evicted unread read-ahead block ${v.blockId}`);
          }
          s.commit(id, p.dir, o.len, now, purpose);
        }
      } else if (o.k === 'access') s.access(id, now);
      else if (o.k === 'lease' && s.get(id)) s.lease(id, `h${o.lease}`, now);
      else if (o.k === 'pin' && s.get(id) && !pinned.has(id)) { s.pin(id); pinned.add(id); }
      assert.ok(s.dirUsage(0).used <= 120 * MEM.high, 'over the high watermark');
      for (const p of pinned) assert.ok(s.get(p), `pinned ${p} is gone`);
    }
  }), { numRuns: 500, seed: 18 });
});

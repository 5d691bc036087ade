import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DedupTable } from '../../../src/core/journal/dedup-table.js';
import { JournaledState } from '../../../src/core/journal/journaled-state.js';
import type { ReplicatedStateMachine } from '../../../src/core/master/journal-port.js';

/** A counter: apply(n) adds n and returns the new total. */
class Counter implements ReplicatedStateMachine<number, number, number> {
  total = 0;
  apply(n: number): number { this.total += n; return this.total; }
  snapshot(): number { return this.total; }
  restore(s: number): void { this.total = s; }
}

test('GIVEN a mutation applied with a request id WHEN the same id is applied again THEN the first result is returned and the state changes once', () => {
  const c = new Counter();
  const s = new JournaledState(c);
  assert.equal(s.apply({ entry: 5, requestId: 'a' }), 5);
  assert.equal(s.apply({ entry: 5, requestId: 'a' }), 5);
  assert.equal(c.total, 5);
  assert.equal(s.apply({ entry: 1 }), 6);
  assert.equal(s.apply({ entry: 1 }), 7, 'entries without a request id are never deduplicated');
});

test('GIVEN a snapshot taken after deduplicated mutations WHEN restored elsewhere THEN a retry there is still recognised', () => {
  const a = new JournaledState(new Counter());
  a.apply({ entry: 3, requestId: 'x' });
  const snap = JSON.parse(JSON.stringify(a.snapshot())) as ReturnType<typeof a.snapshot>;
  const c = new Counter();
  const b = new JournaledState(c);
  b.restore(snap);
  assert.equal(b.apply({ entry: 3, requestId: 'x' }), 3);
  assert.equal(c.total, 3);
});

test('GIVEN a dedup table at capacity WHEN more ids are recorded THEN the oldest are evicted first', () => {
  const t = new DedupTable<number>(2);
  t.record('a', 1);
  t.record('b', 2);
  t.record('c', 3);
  assert.equal(t.has('a'), false);
  assert.equal(t.get('b'), 2);
  assert.equal(t.size, 2);
});

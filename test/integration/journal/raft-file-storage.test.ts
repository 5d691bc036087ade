// The Raft peer's on-disk storage: what persist() wrote is exactly what open() reads back,
// including conflict truncation, snapshot install, compaction and a torn tail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureJournalDir } from '../../../src/adapters/journal/journal-dir.js';
import { RaftFileStorage } from '../../../src/adapters/journal/raft-file-storage.js';
import type { Entry, Ready } from '../../../src/core/raft/types.js';
import { tempDir } from '../../support/proc.js';

const ents = (from: number, to: number, term: number, tag = ''): Entry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ index: from + i, term, data: `${tag}${from + i}` }));
const ready = (r: Partial<Ready>): Ready => ({ entries: [], committedEntries: [], messages: [], readStates: [], ...r });

function reopen(dir: string): RaftFileStorage {
  const s = new RaftFileStorage(ensureJournalDir(dir), 256);
  s.open();
  return s;
}

test('GIVEN entries, a conflicting suffix and a new hard state WHEN persisted and reopened THEN the log and hard state are exactly the final ones', (t) => {
  const dir = tempDir(t);
  const s = reopen(dir);
  s.persist(ready({ entries: ents(1, 50, 1), hardState: { term: 1, vote: 2, commit: 10 } }));
  s.persist(ready({ entries: ents(40, 60, 2, 'b'), hardState: { term: 2, vote: 3, commit: 45 } }));
  s.close();
  const r = reopen(dir);
  assert.equal(r.lastIndex(), 60);
  assert.equal(r.term(39), 1);
  assert.equal(r.term(40), 2);
  assert.deepEqual(r.entries(38, 42, 100).map((e) => e.data), ['38', '39', 'b40', 'b41']);
  assert.deepEqual({ term: r.hardState().term, vote: r.hardState().vote }, { term: 2, vote: 3 });
  assert.ok(readdirSync(join(dir, 'raft', 'log')).length > 1, 'several segments at 256 bytes each');
});

test('GIVEN a compaction and later a snapshot from the leader WHEN reopened THEN the snapshot and only the entries after it remain', (t) => {
  const dir = tempDir(t);
  const s = reopen(dir);
  s.persist(ready({ entries: ents(1, 30, 1), hardState: { term: 1, vote: 1, commit: 30 } }));
  s.compact(20, new TextEncoder().encode('state@20'));
  s.close();
  let r = reopen(dir);
  assert.equal(r.firstIndex(), 21);
  assert.equal(r.snapshot().index, 20);
  assert.equal(new TextDecoder().decode(r.snapshot().data), 'state@20');
  assert.equal(r.lastIndex(), 30);
  r.persist(ready({ snapshot: { index: 100, term: 3, data: new TextEncoder().encode('state@100') }, entries: ents(101, 105, 3) }));
  r.close();
  r = reopen(dir);
  assert.deepEqual([r.snapshot().index, r.snapshot().term, r.firstIndex(), r.lastIndex()], [100, 3, 101, 105]);
  assert.equal(r.term(100), 3);
  assert.equal(r.term(50), undefined);
});

test('GIVEN a torn write at the end of the Raft log WHEN reopened THEN the torn entry is dropped and the rest is intact', (t) => {
  const dir = tempDir(t);
  const s = reopen(dir);
  s.persist(ready({ entries: ents(1, 5, 1) }));
  s.close();
  const logDir = join(dir, 'raft', 'log');
  appendFileSync(join(logDir, readdirSync(logDir).sort().pop() ?? ''), Buffer.from([0, 0, 0, 50, 1, 2, 3, 4, 5]));
  const r = new RaftFileStorage(ensureJournalDir(dir), 256);
  assert.match(r.open() ?? '', /torn/);
  assert.equal(r.lastIndex(), 5);
  r.persist(ready({ entries: ents(6, 6, 1) }));
  r.close();
  assert.equal(reopen(dir).lastIndex(), 6);
});

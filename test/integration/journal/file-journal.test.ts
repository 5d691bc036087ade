// The file journal on a real filesystem: replay after restart, torn-tail recovery, checkpoints
// that bound the log, exactly-once across restarts, and a journal disk that fills up (a small
// tmpfs mounted by the test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLogger } from '../../../src/adapters/apiserver/logger.js';
import { FileJournal } from '../../../src/adapters/journal/file-journal.js';
import { JournalWriteError } from '../../../src/core/journal/journal-errors.js';
import type { ReplicatedStateMachine } from '../../../src/core/master/journal-port.js';
import { tempDir } from '../../support/proc.js';

/** Key-value map: apply([k, v]) sets k and returns how many keys exist. */
class Kv implements ReplicatedStateMachine<[string, string], number, [string, string][]> {
  m = new Map<string, string>();
  apply([k, v]: [string, string]): number { this.m.set(k, v); return this.m.size; }
  snapshot(): [string, string][] { return [...this.m]; }
  restore(s: [string, string][]): void { this.m = new Map(s); }
}

const quiet = jsonLogger(() => undefined);
const props = (o: Partial<{ checkpointEntries: number; checkpointBytes: number; segmentBytes: number }> = {}) => ({
  checkpointEntries: 1_000_000, checkpointBytes: 1 << 30, segmentBytes: 1 << 20, formatOnStart: false, ...o,
});

function open(dir: string, p = props()): { kv: Kv; j: FileJournal<[string, string], number, [string, string][]> } {
  const kv = new Kv();
  return { kv, j: new FileJournal(kv, { dir, selfId: 'm0', props: p, log: quiet }) };
}

test('GIVEN acknowledged mutations WHEN the journal is reopened THEN the exact state is replayed', async (t) => {
  const dir = tempDir(t);
  const a = open(dir);
  const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => a.j.propose([`k${i % 50}`, `v${i}`])));
  assert.equal(acks[acks.length - 1], 50);
  a.j.close();
  const b = open(dir);
  assert.deepEqual([...b.kv.m], [...a.kv.m]);
  assert.equal(b.j.lastSeq(), 200);
});

test('GIVEN a torn record at the end of the log WHEN reopened THEN it is dropped, the file truncated, and new writes continue after it', async (t) => {
  const dir = tempDir(t);
  const a = open(dir);
  for (let i = 0; i < 10; i++) await a.j.propose([`k${i}`, 'v']);
  a.j.close();
  const seg = readdirSync(join(dir, 'log')).sort().pop() ?? '';
  const path = join(dir, 'log', seg);
  const size = statSync(path).size;
  appendFileSync(path, Buffer.from([0, 0, 0, 9, 1, 2, 3]));
  const b = open(dir);
  assert.equal(b.kv.m.size, 10);
  assert.match(b.j.recovery.droppedTail ?? '', /torn/);
  assert.equal(statSync(path).size, size);
  await b.j.propose(['after', 'x']);
  b.j.close();
  const c = open(dir);
  assert.equal(c.kv.m.get('after'), 'x');
  assert.equal(c.j.lastSeq(), 11);
});

test('GIVEN a corrupted (bit-flipped) last record WHEN reopened THEN the checksum rejects it and the state is the one before it', async (t) => {
  const dir = tempDir(t);
  const a = open(dir);
  await a.j.propose(['x', '1']);
  await a.j.propose(['x', '2']);
  a.j.close();
  const path = join(dir, 'log', readdirSync(join(dir, 'log')).sort().pop() ?? '');
  const fd = spawnSync('sh', ['-c', `printf 'Z' | dd of=${path} bs=1 seek=$(( $(stat -c %s ${path}) - 2 )) conv=notrunc status=none`]);
  assert.equal(fd.status, 0);
  const b = open(dir);
  assert.equal(b.kv.m.get('x'), '1');
  assert.match(b.j.recovery.droppedTail ?? '', /checksum/);
});

test('GIVEN a checkpoint period of 100 entries WHEN 1000 mutations are journaled THEN old segments are deleted and restart replays at most one period', async (t) => {
  const dir = tempDir(t);
  const a = open(dir, props({ checkpointEntries: 100 }));
  for (let i = 0; i < 1000; i++) await a.j.propose([`k${i}`, String(i)]);
  a.j.close();
  assert.equal(readdirSync(join(dir, 'checkpoints')).length, 1);
  const b = open(dir, props({ checkpointEntries: 100 }));
  assert.equal(b.kv.m.size, 1000);
  assert.ok(b.j.recovery.replayed < 100, `replayed ${b.j.recovery.replayed}`);
  assert.ok(b.j.recovery.checkpointSeq >= 900);
});

test('GIVEN a mutation retried with the same request id across a restart WHEN applied THEN it takes effect once', async (t) => {
  const dir = tempDir(t);
  const a = open(dir, props({ checkpointEntries: 3 }));
  const kv = a.kv;
  assert.equal(await a.j.propose(['a', '1'], 'req-1'), 1);
  await a.j.propose(['b', '1']);
  await a.j.propose(['c', '1']);
  a.j.close();
  const b = open(dir, props({ checkpointEntries: 3 }));
  // The retry sets a new value under the same id: it must not be applied.
  assert.equal(await b.j.propose(['a', 'retried'], 'req-1'), 1);
  assert.equal(b.kv.m.get('a'), '1');
  assert.equal(kv.m.get('a'), '1');
});

test('GIVEN a journal on a tmpfs that fills up WHEN mutations are proposed THEN they fail with a disk-full error, the state is unchanged, and writes resume once space returns', async (t) => {
  const mnt = tempDir(t, 'fluid-enospc-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
  if (r.status !== 0) { t.skip(`cannot mount tmpfs: ${r.stderr.toString()}`); return; }
  try {
    await diskFullScenario(mnt);
  } finally {
    spawnSync('umount', ['-l', mnt]);
  }
});

async function diskFullScenario(mnt: string): Promise<void> {
  const dir = join(mnt, 'journal');
  mkdirSync(dir);
  const a = open(dir);
  for (let i = 0; i < 20; i++) await a.j.propose([`k${i}`, 'v']);
  // Fill the file system.
  const filler = join(mnt, 'filler');
  try { writeFileSync(filler, Buffer.alloc(1024 * 1024)); } catch { /* ENOSPC: filled */ }
  const big = 'x'.repeat(64 * 1024);
  let failure: unknown;
  for (let i = 0; i < 8 && failure === undefined; i++) {
    try { await a.j.propose([`big${i}`, big]); } catch (err) { failure = err; }
  }
  assert.ok(failure instanceof JournalWriteError, `expected JournalWriteError, got ${String(failure)}`);
  assert.match(failure.message, /disk full \(ENOSPC\).*not applied/);
  const before = [...a.kv.m];
  // Reads keep working: the state is in memory and intact.
  assert.equal(a.kv.m.get('k3'), 'v');
  rmSync(filler, { force: true });
  await a.j.propose(['after', 'ok']);
  a.j.close();
  const b = open(dir);
  assert.deepEqual([...b.kv.m], [...before, ['after', 'ok']]);
}

// The master state machine, driven by data files (testdata/master-state-machine.txt): each case is
// command lines, a "----" line, and the exact expected output, ended by a blank line. Commands:
//   apply <entry JSON>        apply one journal entry; prints the result
//   status <path> | list <path> | blocks <path> <blockSize>    queries; print JSON
//   stats                     prints the statistics without the worker list
//   snapshot-roundtrip        restores a snapshot into a fresh machine and checks it is identical
// Run with FLUID_REWRITE=1 to regenerate the expected outputs after an intended change.
import { runMasterScriptLine } from '../../support/master-script.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { MasterStateMachine } from '../../../src/core/master/master-state-machine.js';
import type { MasterEntry } from '../../../src/core/master/master-entry.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest ancestor of this compiled file holding package.json. */
function repoDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
}

const file = join(repoDir(), 'test/unit/engine/testdata/master-state-machine.txt');

test('GIVEN the scripted entries WHEN applied in order THEN the master state answers exactly as recorded', () => {
  const text = readFileSync(file, 'utf8');
  const cases = text.split(/\n\n+/).filter((c) => c.trim() !== '');
  const sm = new MasterStateMachine(); // one machine: cases build on each other
  const rewritten: string[] = [];
  for (const c of cases) {
    const [cmds = '', expected = ''] = c.split(/\n----(?:\n|$)/);
    const lines = cmds.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const got = lines.map((l) => runMasterScriptLine(sm, l)).join('\n');
    rewritten.push(`${cmds}\n----\n${got}`);
    if (!process.env.FLUID_REWRITE) assert.equal(got, expected.trimEnd(), `case:\n${cmds}`);
  }
  if (process.env.FLUID_REWRITE) writeFileSync(file, `${rewritten.join('\n\n')}\n`);
});

const entryArb: fc.Arbitrary<MasterEntry> = fc.oneof(
  fc.record({
    type: fc.constant('ns.listed' as const), mount: fc.constantFrom('a', 'b'), path: fc.constantFrom('/', '/x', '/x/y'), atMs: fc.nat(1000),
    children: fc.uniqueArray(fc.record({
      name: fc.constantFrom('x', 'y', 'f1', 'f2'), kind: fc.constantFrom('file' as const, 'directory' as const), size: fc.nat(100), mtimeMs: fc.nat(10), fingerprint: fc.constantFrom('e1', 'e2'),
    }), { selector: (c) => c.name, maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('ns.stat' as const), mount: fc.constantFrom('a', 'b'), path: fc.constantFrom('/x', '/x/f1', '/f2'), atMs: fc.nat(1000),
    entry: fc.option(fc.record({ name: fc.constant('n'), kind: fc.constantFrom('file' as const, 'directory' as const), size: fc.nat(100), mtimeMs: fc.nat(10), fingerprint: fc.constant('e') }), { nil: null }),
  }).map((e) => (e.entry ? { ...e, entry: { ...e.entry, name: e.path.slice(e.path.lastIndexOf('/') + 1) } } : e)),
  fc.record({
    type: fc.constant('worker.register' as const), workerId: fc.constantFrom('w1', 'w2'), instanceId: fc.constantFrom('i1', 'i2'), uid: fc.constant(0),
    tierPaths: fc.constant(['/t']), address: fc.constant('h:1'), host: fc.constant('h'), atMs: fc.nat(1000), leaseMs: fc.constantFrom(100, 500),
    tiers: fc.constant([{ medium: 'MEM' as const, capacityBytes: 100, usedBytes: 0 }]),
    blocks: fc.array(fc.record({ blockId: fc.constantFrom('b1', 'b2', 'b3'), length: fc.constant(10), tier: fc.constant('MEM' as const) }), { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('worker.heartbeat' as const), workerId: fc.constantFrom('w1', 'w2', 'w3'), instanceId: fc.constantFrom('i1', 'i2'), atMs: fc.nat(1000),
    tiers: fc.constant([{ medium: 'MEM' as const, capacityBytes: 100, usedBytes: 10 }]),
    added: fc.array(fc.record({ blockId: fc.constantFrom('b1', 'b2', 'b4'), length: fc.constant(10), tier: fc.constant('SSD' as const) }), { maxLength: 2 }),
    removed: fc.array(fc.constantFrom('b1', 'b2', 'b3'), { maxLength: 2 }),
  }),
  fc.record({ type: fc.constant('worker.expire' as const), nowMs: fc.nat(2000), timeoutMs: fc.constantFrom(100, 500) }),
);

const mountsEntry: MasterEntry = { type: 'mounts.set', mounts: [{ name: 'a', ufs: 'local:///a' }, { name: 'b', ufs: 'local:///b' }] };

test('GIVEN any entry sequence WHEN applied to two machines, or split by a snapshot/restore THEN the states and results are identical', () => {
  fc.assert(fc.property(fc.array(entryArb, { maxLength: 30 }), fc.nat(30), (entries, cut) => {
    const a = new MasterStateMachine();
    const b = new MasterStateMachine();
    a.apply(mountsEntry);
    b.apply(mountsEntry);
    const k = Math.min(cut, entries.length);
    const ra = entries.map((e) => JSON.stringify(a.apply(e)));
    const rb: string[] = [];
    entries.slice(0, k).forEach((e) => rb.push(JSON.stringify(b.apply(e))));
    const c = new MasterStateMachine();
    c.restore(JSON.parse(JSON.stringify(b.snapshot())) as ReturnType<MasterStateMachine['snapshot']>);
    entries.slice(k).forEach((e) => rb.push(JSON.stringify(c.apply(e))));
    assert.deepEqual(rb, ra);
    assert.equal(JSON.stringify(c.snapshot()), JSON.stringify(a.snapshot()));
  }), { numRuns: 500, seed: 42 });
});

test('GIVEN any entry sequence WHEN applied THEN cachedBytes equals the sum of distinct held block lengths and parents list existing children', () => {
  fc.assert(fc.property(fc.array(entryArb, { maxLength: 30 }), (entries) => {
    const sm = new MasterStateMachine();
    sm.apply(mountsEntry);
    for (const e of entries) sm.apply(e);
    const snap = sm.snapshot();
    const held = new Set(snap.workers.workers.flatMap((w) => w.blocks.map(([id]) => id)));
    assert.deepEqual(new Set(snap.workers.lengths.map(([id]) => id)), held);
    assert.equal(sm.stats().cachedBytes, snap.workers.lengths.reduce((s, [, l]) => s + l, 0));
    for (const [mount, nodes] of Object.entries(snap.namespace)) {
      const paths = new Set(nodes.map(([p]) => p));
      for (const [p, n] of nodes) {
        for (const c of n.children ?? []) assert.ok(paths.has(p === '/' ? `/${c}` : `${p}/${c}`), `${mount}:${p} lists missing child ${c}`);
        if (p !== '/') assert.ok(paths.has(p.slice(0, p.lastIndexOf('/')) || '/'), `${mount}:${p} has no parent`);
      }
    }
  }), { numRuns: 500, seed: 7 });
});

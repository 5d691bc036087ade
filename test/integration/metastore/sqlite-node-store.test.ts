// The SQLite metastore over a real database file: the NodeStore port's data-driven cases (the same
// file the heap store runs), the master state machine's recorded script, and random entry sequences
// that must leave a SQLite-backed machine identical to a heap-backed one.
import { runMasterScriptLine } from '../../support/master-script.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { METASTORE_FILE, SqliteMetastore } from '../../../src/adapters/metastore/sqlite-node-store.js';
import { openMetastore } from '../../../src/adapters/metastore/open-metastore.js';
import type { MasterEntry } from '../../../src/core/master/master-entry.js';
import { MasterStateMachine } from '../../../src/core/master/master-state-machine.js';
import { HeapNodeStore, type NsNode } from '../../../src/core/master/node-store.js';
import { runNodeStoreScript } from '../../support/node-store-script.js';
import { repoRoot, tempDir } from '../../support/proc.js';

function open(t: { after(fn: () => void): void }, dir?: string): SqliteMetastore {
  const db = new SqliteMetastore(dir ?? join(tempDir(t, 'fluid-metastore-'), 'ms'));
  t.after(() => { db.close(); });
  return db;
}

test('GIVEN the node-store script WHEN run against the SQLite store THEN every case prints exactly what the heap store prints', (t) => {
  for (const c of runNodeStoreScript(open(t).nodeStores('m'))) assert.equal(c.got, c.expected, `case:\n${c.cmds}`);
});

test('GIVEN two mounts in one database WHEN one is written and cleared THEN the other keeps its nodes', (t) => {
  const db = open(t);
  const a = db.nodeStores('a');
  const b = db.nodeStores('b');
  a.set('/x', { kind: 'file', size: 1, mtimeMs: 1, fingerprint: 'f', children: null, listedAtMs: 0 });
  b.set('/x', { kind: 'file', size: 2, mtimeMs: 1, fingerprint: 'g', children: null, listedAtMs: 0 });
  a.clear();
  assert.equal(a.get('/x'), undefined);
  assert.equal(b.get('/x')?.size, 2);
  // Opening a mount's store again starts it empty.
  assert.equal(db.nodeStores('b').size(), 0);
});

test('GIVEN a metastore directory with an earlier database WHEN opened again THEN it is formatted (empty) and the file is private', (t) => {
  const dir = join(tempDir(t, 'fluid-metastore-'), 'ms');
  const first = new SqliteMetastore(dir);
  first.nodeStores('a').set('/x', { kind: 'file', size: 1, mtimeMs: 1, fingerprint: 'f', children: null, listedAtMs: 0 });
  first.close();
  const db = open(t, dir);
  assert.equal(db.nodeStores('a').size(), 0);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.ok(existsSync(join(dir, METASTORE_FILE)));
});

test('GIVEN a bad metastore property WHEN a metastore is opened THEN it throws before creating anything', (t) => {
  const j = tempDir(t, 'fluid-metastore-');
  assert.throws(() => openMetastore({ 'fluid.master.metastore': 'ROCKSDB' }, j), /property fluid\.master\.metastore: expected one of HEAP, SQLITE, ROCKS, got "ROCKSDB"/);
  assert.equal(existsSync(join(j, 'metastore')), false);
});


test('GIVEN the master state machine script WHEN run on a SQLite-backed machine THEN it answers exactly as recorded for the heap', (t) => {
  const text = readFileSync(join(repoRoot, 'test/unit/engine/testdata/master-state-machine.txt'), 'utf8');
  const sm = new MasterStateMachine({ nodeStores: open(t).nodeStores });
  for (const c of text.split(/\n\n+/).filter((x) => x.trim() !== '')) {
    const [cmds = '', expected = ''] = c.split(/\n----(?:\n|$)/);
    const got = cmds.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => runMasterScriptLine(sm, l)).join('\n');
    assert.equal(got, expected.trimEnd(), `case:\n${cmds}`);
  }
});

const child = fc.record({
  name: fc.constantFrom('x', 'y', 'f1', 'f 2', 'é'), kind: fc.constantFrom('file' as const, 'directory' as const),
  size: fc.nat(100), mtimeMs: fc.nat(10), fingerprint: fc.constantFrom('e1', 'e2'),
});
const nsEntry: fc.Arbitrary<MasterEntry> = fc.oneof(
  fc.record({
    type: fc.constant('ns.listed' as const), mount: fc.constantFrom('a', 'b'), path: fc.constantFrom('/', '/x', '/x/y', '/y', '/x/x'), atMs: fc.nat(1000),
    children: fc.uniqueArray(child, { selector: (c) => c.name, maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('ns.stat' as const), mount: fc.constantFrom('a', 'b'), path: fc.constantFrom('/x', '/x/f1', '/f1', '/x/y/é', '/y/x'), atMs: fc.nat(1000),
    entry: fc.option(child, { nil: null }),
  }).map((e) => (e.entry ? { ...e, entry: { ...e.entry, name: e.path.slice(e.path.lastIndexOf('/') + 1) } } : e)),
  fc.record({ type: fc.constant('mounts.set' as const), mounts: fc.subarray([{ name: 'a', ufs: 'local:///a' }, { name: 'b', ufs: 'local:///b' }]) }),
);

test('GIVEN any namespace entry sequence WHEN applied to a heap and a SQLite machine, and restored from a snapshot into SQLite THEN every result, query and snapshot is identical', (t) => {
  const db1 = open(t);
  const db2 = open(t);
  const mounts: MasterEntry = { type: 'mounts.set', mounts: [{ name: 'a', ufs: 'local:///a' }, { name: 'b', ufs: 'local:///b' }] };
  const queries = (sm: MasterStateMachine): string => JSON.stringify([
    sm.snapshot(), sm.stats(), sm.unlistedDirectories(),
    // staleDirectories() promises no order (heap: insertion order, SQLite: path order).
    sm.staleDirectories(500).map((d) => `${d.mount}:${d.path}`).sort(),
    ...['/', '/a', '/a/x', '/a/x/y', '/b/x/f1', '/b/y'].map((p) => { try { return [sm.listStatus(p), sm.getStatus(p)]; } catch (e) { return (e as Error).message; } }),
  ]);
  fc.assert(fc.property(fc.array(nsEntry, { maxLength: 25 }), fc.nat(25), (entries, cut) => {
    const heap = new MasterStateMachine();
    const sql = new MasterStateMachine({ nodeStores: db1.nodeStores });
    heap.apply(mounts);
    sql.apply(mounts);
    const k = Math.min(cut, entries.length);
    for (const e of entries.slice(0, k)) assert.deepEqual(sql.apply(e), heap.apply(e));
    const restored = new MasterStateMachine({ nodeStores: db2.nodeStores });
    restored.restore(JSON.parse(JSON.stringify(sql.snapshot())) as ReturnType<MasterStateMachine['snapshot']>);
    for (const e of entries.slice(k)) {
      const r = heap.apply(e);
      assert.deepEqual(sql.apply(e), r);
      assert.deepEqual(restored.apply(e), r);
    }
    const want = queries(heap);
    assert.equal(queries(sql), want);
    assert.equal(queries(restored), want);
  }), { numRuns: 300, seed: 11 });
});

test('GIVEN a snapshot larger than one bulk statement WHEN restored into SQLite THEN entries, summary and lookups equal the heap store', (t) => {
  const nodes: [string, NsNode][] = [['/', { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: ['d'], listedAtMs: 1 }], ['/d', { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: null, listedAtMs: 0 }]];
  for (let i = 0; i < 1001; i++) nodes.push([`/d/f${String(i).padStart(4, '0')}`, { kind: 'file', size: i, mtimeMs: i, fingerprint: `e${i}`, children: null, listedAtMs: 0 }]);
  const sql = open(t).nodeStores('m');
  const heap = new HeapNodeStore();
  sql.replaceAll(nodes);
  heap.replaceAll(nodes);
  assert.deepEqual(sql.entries(), heap.entries());
  assert.deepEqual(sql.summary(), heap.summary());
  assert.deepEqual(sql.summary(), { files: 1001, fileBytes: 1001 * 1000 / 2, directories: 2, unlistedDirectories: 1 });
  assert.deepEqual(sql.get('/d/f0777'), heap.get('/d/f0777'));
  assert.deepEqual(sql.childNamesUnder('/d/').length, 1001);
  // Single-row writes after a bulk load keep the totals right.
  sql.delete('/d/f0001');
  sql.set('/d/f0002', { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: null, listedAtMs: 0 });
  assert.deepEqual(sql.summary(), { files: 999, fileBytes: 1001 * 1000 / 2 - 1 - 2, directories: 3, unlistedDirectories: 2 });
});

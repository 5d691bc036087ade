import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { StoreConflictError, StoreExistsError, StoreNotFoundError, StoreTooOldError, type KubeObject } from '../../../src/adapters/store/object-store.js';
import { SqliteObjectStore } from '../../../src/adapters/store/sqlite-object-store.js';

const key = (name: string): { group: string; resource: string; namespace: string; name: string } => ({ group: '', resource: 'configmaps', namespace: 'default', name });
const obj = (name: string, v: number): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid: `u-${name}` }, data: { v: String(v) } });

function withStore<T>(fn: (s: SqliteObjectStore, path: string) => T, retainChanges?: number): T {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-store-'));
  const path = join(dir, 'db');
  const s = new SqliteObjectStore({ path, ...(retainChanges !== undefined ? { retainChanges } : {}) });
  try {
    return fn(s, path);
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('GIVEN a store WHEN objects are created, updated with a stale version and deleted THEN typed errors and one increasing resourceVersion result', () => {
  withStore((s) => {
    const a = s.create(key('a'), obj('a', 1));
    assert.equal(a.metadata.resourceVersion, '1');
    assert.throws(() => s.create(key('a'), obj('a', 1)), StoreExistsError);
    const a2 = s.update(key('a'), obj('a', 2), '1');
    assert.equal(a2.metadata.resourceVersion, '2');
    assert.throws(() => s.update(key('a'), obj('a', 3), '1'), StoreConflictError);
    assert.throws(() => s.update(key('nope'), obj('nope', 3)), StoreNotFoundError);
    s.delete(key('a'), a2);
    assert.equal(s.get(key('a')), undefined);
    assert.deepEqual(s.changesSince(0).map((c) => `${c.type}@${c.rv}`), ['ADDED@1', 'MODIFIED@2', 'DELETED@3']);
    assert.equal(s.currentRv(), 3);
  });
});

test('GIVEN a store reopened from its file THEN objects and the resourceVersion counter survive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-store-'));
  try {
    const path = join(dir, 'db');
    const s1 = new SqliteObjectStore({ path });
    s1.create(key('a'), obj('a', 1));
    s1.create(key('b'), obj('b', 1));
    s1.close();
    const s2 = new SqliteObjectStore({ path });
    assert.equal(s2.currentRv(), 2);
    assert.deepEqual(s2.list('', 'configmaps').map((o) => o.metadata.name), ['a', 'b']);
    assert.equal(s2.create(key('c'), obj('c', 1)).metadata.resourceVersion, '3');
    s2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GIVEN a bounded change log WHEN more changes than retained are written THEN old versions are too old and recent ones replay', () => {
  withStore((s) => {
    for (let i = 0; i < 150; i++) s.create(key(`o${i}`), obj(`o${i}`, i));
    assert.throws(() => s.changesSince(1), StoreTooOldError);
    const recent = s.changesSince(145);
    assert.deepEqual(recent.map((c) => c.rv), [146, 147, 148, 149, 150]);
  }, 10);
});

test('GIVEN random operation sequences THEN the store matches a simple model and subscribers see every commit in order', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('create', 'update', 'delete'), fc.integer({ min: 0, max: 4 })), { maxLength: 40 }), (ops) => {
    withStore((s) => {
      const model = new Map<string, number>();
      const seen: number[] = [];
      s.subscribe((c) => seen.push(c.rv));
      ops.forEach(([op, n], i) => {
        const name = `k${n}`;
        try {
          if (op === 'create') { s.create(key(name), obj(name, i)); model.set(name, i); }
          if (op === 'update') { s.update(key(name), obj(name, i)); model.set(name, i); }
          if (op === 'delete') { s.delete(key(name), obj(name, i)); model.delete(name); }
        } catch (e) {
          assert.ok(e instanceof StoreExistsError || e instanceof StoreNotFoundError);
        }
      });
      const stored = new Map(s.list('', 'configmaps').map((o) => [String(o.metadata.name), Number((o.data as { v: string }).v)]));
      assert.deepEqual([...stored].sort(), [...model].sort());
      assert.deepEqual(seen, seen.map((_, i) => i + 1));
    });
  }), { numRuns: 50 });
});

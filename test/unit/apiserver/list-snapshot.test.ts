// GIVEN objects that change after a list's first page WHEN the store rebuilds the list at the
// first page's resourceVersion THEN both stores answer the state at that version, or
// StoreTooOldError when it is no longer retained; a sensitive object's history is scrubbed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryObjectStore } from '../../../src/adapters/store/memory-object-store.js';
import { StoreTooOldError, type KubeObject, type ObjectKey, type ObjectStore } from '../../../src/adapters/store/object-store.js';
import { SqliteObjectStore } from '../../../src/adapters/store/sqlite-object-store.js';

const key = (name: string, resource = 'configmaps'): ObjectKey => ({ group: '', resource, namespace: 'default', name });
const cm = (name: string, v: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid: `u-${name}` }, data: { v } });
const names = (objs: KubeObject[]): string[] => objs.map((o) => `${String(o.metadata.name)}=${String((o.data as Record<string, string>).v)}`).sort();

function stores(retain: number, fn: (s: ObjectStore, label: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-snap-'));
  const sqlite = new SqliteObjectStore({ path: join(dir, 'db'), retainChanges: retain, sensitive: (k) => k.resource === 'secrets' });
  const memory = new MemoryObjectStore(retain);
  try {
    fn(sqlite, 'sqlite');
    fn(memory, 'memory');
  } finally {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('GIVEN a list snapshot at rv 3 WHEN b is modified, c deleted and d added THEN listAt(3) still answers a, b (old) and c', () => {
  stores(10_000, (s, label) => {
    s.create(key('a'), cm('a', '1'));
    s.create(key('b'), cm('b', '1'));
    s.create(key('c'), cm('c', '1'));
    const at = s.currentRv();
    const b = s.get(key('b'));
    assert.ok(b);
    s.update(key('b'), cm('b', '2'));
    s.delete(key('c'), cm('c', '1'));
    s.create(key('d'), cm('d', '1'));
    s.create(key('x', 'secrets'), cm('x', 's'));
    assert.deepEqual(names(s.listAt('', 'configmaps', 'default', at)), ['a=1', 'b=1', 'c=1'], label);
    assert.deepEqual(names(s.listAt('', 'configmaps', undefined, s.currentRv())), ['a=1', 'b=2', 'd=1'], label);
  });
});

test('GIVEN a change log compacted past the snapshot WHEN listAt is asked for it THEN StoreTooOldError', () => {
  stores(2, (s, label) => {
    s.create(key('a'), cm('a', '1'));
    const at = s.currentRv();
    for (let i = 2; i < 205; i++) s.update(key('a'), cm('a', String(i)));
    assert.throws(() => s.listAt('', 'configmaps', 'default', at), StoreTooOldError, label);
  });
});

test('GIVEN a sensitive resource WHEN it is updated and deleted THEN its logged history keeps no data, while live listeners saw it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-snap-'));
  const s = new SqliteObjectStore({ path: join(dir, 'db'), sensitive: (k) => k.resource === 'secrets' });
  try {
    const seen: unknown[] = [];
    s.subscribe((c) => seen.push(c.object.data));
    const secret = (v: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 's', namespace: 'default', annotations: { copy: v } }, data: { k: v } });
    s.create(key('s', 'secrets'), secret('one'));
    s.update(key('s', 'secrets'), secret('two'));
    assert.deepEqual(s.changesSince(0).map((c) => c.object.data), [undefined, { k: 'two' }], 'only the live state keeps its data');
    s.delete(key('s', 'secrets'), secret('two'));
    const logged = s.changesSince(0);
    assert.deepEqual(logged.map((c) => c.type), ['ADDED', 'MODIFIED', 'DELETED']);
    for (const c of logged) {
      assert.equal(c.object.data, undefined);
      assert.equal(c.object.metadata.annotations, undefined);
      assert.equal(c.object.type, 'Opaque');
    }
    assert.deepEqual(seen, [{ k: 'one' }, { k: 'two' }, { k: 'two' }]);
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

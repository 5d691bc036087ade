// The heap NodeStore against the port's data-driven cases (the SQLite store runs the same file in
// test/integration/metastore), plus what only the heap promises: get() hands out the live node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeapNodeStore } from '../../../src/core/master/node-store.js';
import { runNodeStoreScript } from '../../support/node-store-script.js';

test('GIVEN the node-store script WHEN run against the heap store THEN every case prints exactly the recorded output', () => {
  for (const c of runNodeStoreScript(new HeapNodeStore())) if (!process.env.FLUID_REWRITE) assert.equal(c.got, c.expected, `case:\n${c.cmds}`);
});

test('GIVEN a heap store WHEN a node got from it is changed and set back THEN the store keeps that very object', () => {
  const s = new HeapNodeStore();
  s.set('/', { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: null, listedAtMs: 0 });
  const n = s.get('/');
  assert.ok(n);
  n.children = ['a'];
  s.set('/', n);
  assert.equal(s.get('/'), n);
});

test('GIVEN a heap store WHEN a batch runs THEN it returns the function result', () => {
  assert.equal(new HeapNodeStore().batch(() => 42), 42);
});

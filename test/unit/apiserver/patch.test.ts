import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyJsonPatch } from '../../../src/core/patch/json-patch.js';
import type { JsonValue } from '../../../src/core/patch/json-value.js';
import { applyMergePatch } from '../../../src/core/patch/merge-patch.js';
import { PatchError } from '../../../src/core/patch/patch-error.js';
import { applyStrategicMergePatch } from '../../../src/core/patch/strategic-merge-patch.js';

test('GIVEN an object WHEN a merge patch sets, nests and nulls keys THEN RFC 7386 semantics apply and the input is untouched', () => {
  const target = { a: 1, b: { c: 2, d: 3 }, e: [1, 2] };
  const out = applyMergePatch(target, { a: null, b: { c: 9 }, e: [3], f: 'x' });
  assert.deepEqual(out, { b: { c: 9, d: 3 }, e: [3], f: 'x' });
  assert.deepEqual(target, { a: 1, b: { c: 2, d: 3 }, e: [1, 2] });
});

test('GIVEN any JSON object WHEN merge-patched with itself THEN it is unchanged (idempotence)', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
    const clean = JSON.parse(JSON.stringify(obj)) as Record<string, JsonValue>;
    const noNulls = JSON.parse(JSON.stringify(clean, (_k, v: unknown) => (v === null ? undefined : v))) as Record<string, JsonValue>;
    assert.deepEqual(applyMergePatch(noNulls, noNulls), noNulls);
  }));
});

test('GIVEN a document WHEN a JSON patch adds, replaces, removes, moves, copies and tests THEN RFC 6902 semantics apply', () => {
  const doc = { metadata: { labels: { a: 'b' } }, list: [1, 2, 3] };
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/metadata/labels/x~1y', value: 'z' },
    { op: 'replace', path: '/list/0', value: 10 },
    { op: 'remove', path: '/list/1' },
    { op: 'add', path: '/list/-', value: 4 },
    { op: 'copy', from: '/list/0', path: '/first' },
    { op: 'move', from: '/first', path: '/moved' },
    { op: 'test', path: '/moved', value: 10 },
  ]);
  assert.deepEqual(out, { metadata: { labels: { a: 'b', 'x/y': 'z' } }, list: [10, 3, 4], moved: 10 });
  assert.deepEqual(doc.list, [1, 2, 3]);
});

test('GIVEN a JSON patch with a failing op THEN it throws PatchError naming the path and applies nothing', () => {
  assert.throws(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/nope' }]), (e: unknown) => e instanceof PatchError && /\/nope/.test(e.message));
  assert.throws(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), PatchError);
  assert.throws(() => applyJsonPatch({ a: 1 }, { op: 'add' }), PatchError);
});

test('GIVEN a pod WHEN a strategic merge patch touches containers by name THEN lists merge by key and directives apply', () => {
  const pod: JsonValue = {
    metadata: { finalizers: ['a'] },
    spec: { containers: [{ name: 'app', image: 'v1', env: [{ name: 'X', value: '1' }] }, { name: 'side', image: 's' }], tolerations: [{ key: 't' }] },
  };
  const out = applyStrategicMergePatch(pod, {
    metadata: { finalizers: ['b'] },
    spec: {
      containers: [{ name: 'app', image: 'v2', env: [{ name: 'Y', value: '2' }] }, { name: 'side', $patch: 'delete' }],
      tolerations: [{ key: 'u' }],
    },
  });
  assert.deepEqual(out, {
    metadata: { finalizers: ['a', 'b'] },
    spec: { containers: [{ name: 'app', image: 'v2', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }], tolerations: [{ key: 'u' }] },
  });
  const ordered = applyStrategicMergePatch({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } as JsonValue);
  assert.deepEqual(ordered, { spec: { containers: [{ name: 'b' }, { name: 'a' }] } });
  const replaced = applyStrategicMergePatch({ data: { a: '1', b: '2' } }, { data: { $patch: 'replace', c: '3' } });
  assert.deepEqual(replaced, { data: { c: '3' } });
  const pruned = applyStrategicMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
  assert.deepEqual(pruned, { metadata: { finalizers: ['b'] } });
});

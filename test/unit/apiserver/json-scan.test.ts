// GIVEN JSON texts WHEN scanned THEN repeated keys are reported with kube-style paths in document
// order and nesting beyond the bound is reported without recursion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanJson } from '../../../src/core/patch/json-scan.js';

test('GIVEN repeated keys at several depths WHEN scanned THEN each repeat is reported once, with its path', () => {
  const cases: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"metadata":{"name":"x","name":"y"},"data":{"a":"1","a":"2"}}', ['metadata.name', 'data.a']],
    ['{"spec":{"items":[{"x":1},{"x":1,"x":2}]}}', ['spec.items[1].x']],
    ['[{"op":"add","path":"/a","path":"/b"}]', ['[0].path']],
    ['{"s":"a\\"b","s":"{\\"k\\":1,\\"k\\":2}"}', ['s']],
    ['{"k\\u0031":1,"k1":2}', ['k1']],
  ];
  for (const [text, want] of cases) assert.deepEqual(scanJson(text, 100).duplicates, want, text);
});

test('GIVEN 100000 levels of nesting WHEN scanned with a bound of 1000 THEN tooDeep, and 1000 levels pass', () => {
  const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
  assert.equal(scanJson(deep(100_000), 1000).tooDeep, true);
  assert.equal(scanJson(deep(1000), 1000).tooDeep, false);
  assert.equal(scanJson(deep(1001), 1000).tooDeep, true);
});

test('GIVEN "__proto__" keys WHEN scanned THEN their paths are reported', () => {
  assert.deepEqual(scanJson('{"metadata":{"__proto__":{"x":1}},"spec":[{"__proto__":1}]}', 100).protoKeys, ['metadata.__proto__', 'spec[0].__proto__']);
});

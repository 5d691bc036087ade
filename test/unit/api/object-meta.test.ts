// GIVEN label keys, label values and metadata fields as clients send them WHEN admission checks
// them THEN apimachinery's rules and messages apply, and unknown metadata fields follow
// fieldValidation (Strict: error, Warn: warning + dropped, Ignore: dropped).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allKinds } from '../../../src/api/kinds/index.js';
import { admit } from '../../../src/core/admission/admit.js';
import { labelValueErrors, qualifiedNameErrors } from '../../../src/core/admission/internal/object-meta.js';

const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('GIVEN label keys WHEN checked as qualified names THEN valid ones pass and each invalid one gets kube\'s message', () => {
  for (const ok of ['app', 'a', 'app.kubernetes.io/name', 'example.com/My_Name-1', 'x'.repeat(63)]) assert.deepEqual(qualifiedNameErrors(ok), [], ok);
  const cases: [string, string[]][] = [
    ['bad key!', [NAME_PART]],
    ['__proto__', [NAME_PART]],
    ['x'.repeat(64), ['name part must be no more than 63 characters']],
    ['/x', ['prefix part must be non-empty']],
    ['example.com/', ['name part must be non-empty']],
    ['Example.com/x', ["prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
    ['a/b/c', ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]],
  ];
  for (const [key, want] of cases) assert.deepEqual(qualifiedNameErrors(key), want, key);
});

test('GIVEN label values WHEN checked THEN empty and up to 63 characters pass, longer or malformed fail', () => {
  for (const ok of ['', 'v', 'my_value.1', 'x'.repeat(63)]) assert.deepEqual(labelValueErrors(ok), [], ok);
  assert.deepEqual(labelValueErrors('x'.repeat(100)), ['must be no more than 63 characters']);
  assert.match(labelValueErrors('-bad').join(), /^a valid label must be an empty string or consist of alphanumeric characters/);
});

test('GIVEN a ConfigMap with an unknown metadata field WHEN admitted under each fieldValidation THEN Strict fails, Warn warns and drops, Ignore drops', () => {
  const def = allKinds.find((k) => k.group === '' && k.kind === 'ConfigMap');
  assert.ok(def);
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', foo: 1 }, data: { a: '1' } };
  const strict = admit(def, obj, { fieldValidation: 'Strict' });
  assert.equal(strict.ok, false);
  if (!strict.ok) assert.deepEqual(strict.errors.map((e) => [e.path, e.type]), [['metadata.foo', 'FieldValueUnknown']]);
  const warn = admit(def, obj, { fieldValidation: 'Warn' });
  assert.ok(warn.ok);
  if (warn.ok) assert.equal((warn.object.metadata as Record<string, unknown>).foo, undefined);
  assert.deepEqual(warn.warnings, ['unknown field "metadata.foo"']);
  const ignore = admit(def, obj, { fieldValidation: 'Ignore' });
  assert.ok(ignore.ok);
  assert.deepEqual(ignore.warnings, []);
  const labelled = admit(def, { ...obj, metadata: { name: 'c', labels: { 'bad key!': 'v' } } }, { fieldValidation: 'Strict' });
  assert.equal(labelled.ok, false);
  if (!labelled.ok) assert.deepEqual(labelled.errors.map((e) => e.path), ['metadata.labels']);
});

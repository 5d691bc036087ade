import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesFields, parseFieldSelector, supportedFieldPaths } from '../../../src/core/patch/field-selector.js';
import { matchesLabels, parseLabelSelector, SelectorError } from '../../../src/core/patch/label-selector.js';

const cases: [string, Record<string, string>, boolean][] = [
  ['app=web', { app: 'web' }, true],
  ['app==web', { app: 'db' }, false],
  ['app!=web', {}, true],
  ['tier in (hot, warm)', { tier: 'warm' }, true],
  ['tier notin (hot)', { tier: 'hot' }, false],
  ['tier notin (hot)', {}, true],
  ['app', { app: '' }, true],
  ['!app', { app: 'x' }, false],
  ['app=web,tier in (a,b),!gone', { app: 'web', tier: 'b' }, true],
  ['example.com/role=x', { 'example.com/role': 'x' }, true],
  ['', { any: 'thing' }, true],
];

for (const [sel, labels, want] of cases) {
  test(`GIVEN labels ${JSON.stringify(labels)} WHEN selected by "${sel}" THEN the match is ${String(want)}`, () => {
    assert.equal(matchesLabels(parseLabelSelector(sel), labels), want);
  });
}

test('GIVEN malformed label selectors THEN parsing throws SelectorError naming the requirement', () => {
  for (const bad of ['app=(x', 'a b', 'in (x)', '=x', 'Bad Key=x']) {
    assert.throws(() => parseLabelSelector(bad), SelectorError, bad);
  }
});

test('GIVEN a Pod WHEN field selectors name metadata and spec.nodeName THEN they match, and unsupported paths are rejected', () => {
  const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1' } };
  const allowed = supportedFieldPaths('', 'Pod');
  assert.equal(matchesFields(parseFieldSelector('metadata.name=p,spec.nodeName==n1', allowed), pod), true);
  assert.equal(matchesFields(parseFieldSelector('metadata.namespace!=default', allowed), pod), false);
  assert.throws(() => parseFieldSelector('spec.nodeName=n1', supportedFieldPaths('data.fluid.io', 'Dataset')), /"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"/);
});

// GIVEN query strings as clients send them WHEN the server parses them THEN booleans follow
// kube-apiserver's query decoding, integers Go's ParseInt, and bad values name the parameter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bool, limit, MAX_WATCH_TIMEOUT_SECONDS, timeoutSeconds } from '../../../src/adapters/apiserver/query.js';
import { ApiError } from '../../../src/adapters/apiserver/status-errors.js';

const qs = (s: string): URLSearchParams => new URLSearchParams(s);

test('GIVEN boolean parameters WHEN parsed THEN only absence, 0 and any case of false are false', () => {
  for (const v of ['true', 'True', 'TRUE', 't', '1', '', 'yes']) assert.equal(bool(qs(`watch=${v}`), 'watch'), true, v);
  for (const v of ['false', 'False', 'FALSE', 'fAlSe', '0']) assert.equal(bool(qs(`watch=${v}`), 'watch'), false, v);
  assert.equal(bool(qs(''), 'watch'), false);
  assert.equal(bool(qs('watch'), 'watch'), true, 'a bare ?watch is a watch');
});

test('GIVEN integer parameters WHEN parsed THEN huge timeouts clamp, int64 overflow and junk are 400s naming the parameter', () => {
  assert.equal(timeoutSeconds(qs('timeoutSeconds=30')), 30);
  assert.equal(timeoutSeconds(qs('timeoutSeconds=9223372036854775807')), MAX_WATCH_TIMEOUT_SECONDS);
  assert.equal(timeoutSeconds(qs('timeoutSeconds=-5')), 0);
  for (const [q, want] of [['timeoutSeconds=99999999999999999999', /^timeoutSeconds: .*value out of range/], ['limit=abc', /^limit: .*invalid syntax/], ['limit=1.5', /^limit: /]] as const) {
    assert.throws(() => (q.startsWith('limit') ? limit(qs(q)) : timeoutSeconds(qs(q))), (e: unknown) => e instanceof ApiError && e.httpStatus === 400 && want.test(e.message), q);
  }
  assert.equal(limit(qs('limit=0')), undefined);
  assert.equal(limit(qs('limit=2')), 2);
});

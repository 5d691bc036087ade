import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRetry } from '../../../src/adapters/ufs/internal/retry.js';
import { UfsNotFoundError, UfsUnavailableError } from '../../../src/core/ufs/ufs-errors.js';

const policy = { attempts: 3, baseDelayMs: 1 };

function failing(errors: Error[]): { fn: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    fn: async () => {
      const e = errors[n++];
      if (e) throw e;
      return 'done';
    },
    calls: () => n,
  };
}

test('GIVEN transient failures below the limit WHEN retried THEN the call succeeds', async () => {
  const f = failing([new UfsUnavailableError('/x', 'ECONNRESET'), new UfsUnavailableError('/x', 'HTTP 503')]);
  assert.equal(await withRetry(f.fn, policy), 'done');
  assert.equal(f.calls(), 3);
});

test('GIVEN transient failures on every attempt WHEN retried THEN the last error is thrown after the limit', async () => {
  const f = failing([0, 1, 2, 3].map((i) => new UfsUnavailableError('/x', `try ${i}`)));
  await assert.rejects(withRetry(f.fn, policy), /try 2/);
  assert.equal(f.calls(), 3);
});

test('GIVEN a non-transient or non-retriable error WHEN called THEN it is thrown at once', async () => {
  const a = failing([new UfsNotFoundError('/x')]);
  await assert.rejects(withRetry(a.fn, policy), UfsNotFoundError);
  assert.equal(a.calls(), 1);
  const b = failing([new UfsUnavailableError('/x', 'range ignored', { retriable: false })]);
  await assert.rejects(withRetry(b.fn, policy), /range ignored/);
  assert.equal(b.calls(), 1);
});

test('GIVEN an aborted signal during backoff WHEN retrying THEN the abort reason is thrown', async () => {
  const ac = new AbortController();
  let n = 0;
  const fn = async (): Promise<string> => { n++; ac.abort(new Error('stop')); throw new UfsUnavailableError('/x', 'down'); };
  await assert.rejects(withRetry(fn, policy, ac.signal), /down|stop/);
  assert.equal(n, 1);
});

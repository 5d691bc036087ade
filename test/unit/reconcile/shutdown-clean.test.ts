import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLEAN_CACHE_POLICY, cleanCachePolicyOf, decideShutdownClean } from '../../../src/core/reconcile/shutdown-clean.js';

test('GIVEN no management block THEN Fluid\'s defaults apply (60 s grace, 3 retries)', () => {
  assert.deepEqual(cleanCachePolicyOf(undefined), DEFAULT_CLEAN_CACHE_POLICY);
  assert.deepEqual(cleanCachePolicyOf({ cleanCachePolicy: { gracePeriodSeconds: 5, maxRetryAttempts: 0 } }), { gracePeriodSeconds: 5, maxRetryAttempts: 0 });
});

test('GIVEN a fresh shutdown THEN the first attempt runs with the grace period as its timeout', () => {
  assert.deepEqual(decideShutdownClean(DEFAULT_CLEAN_CACHE_POLICY, undefined, true), { action: 'attempt', attempt: 1, timeoutMs: 60_000, last: false });
});

test('GIVEN failed attempts WHEN retries are used up THEN the shutdown goes on without cleaning', () => {
  const p = { gracePeriodSeconds: 1, maxRetryAttempts: 2 };
  assert.deepEqual(decideShutdownClean(p, 'failed:2', true), { action: 'attempt', attempt: 3, timeoutMs: 1000, last: true });
  assert.deepEqual(decideShutdownClean(p, 'failed:3', true), { action: 'skip' });
});

test('GIVEN the clean is done or no worker is up THEN it is skipped', () => {
  assert.deepEqual(decideShutdownClean(DEFAULT_CLEAN_CACHE_POLICY, 'done', true), { action: 'skip' });
  assert.deepEqual(decideShutdownClean(DEFAULT_CLEAN_CACHE_POLICY, undefined, false), { action: 'skip' });
});

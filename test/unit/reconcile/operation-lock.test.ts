import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideLock, decideRunAfter, decideTtl, holderKey, holdersOf, parseHolderKey, releaseValue, type OperationPhase,
} from '../../../src/core/reconcile/operation-lock.js';

const phases = (m: Record<string, OperationPhase | 'Missing'>) => (h: string): OperationPhase | 'Missing' | undefined => m[h] ?? 'Missing';

test('GIVEN no operationRef WHEN a DataLoad asks THEN it acquires the DataLoad lock', () => {
  assert.deepEqual(decideLock(undefined, 'DataLoad', 'a', phases({})), { action: 'acquire', value: 'a' });
});

test('GIVEN DataLoad "a" is Executing WHEN DataLoad "b" asks THEN "b" waits and the message names "a"', () => {
  const d = decideLock({ DataLoad: 'a' }, 'DataLoad', 'b', phases({ a: 'Executing' }));
  assert.equal(d.action, 'wait');
  assert.ok(d.action === 'wait' && d.holder === 'a' && /DataLoad "a" is running/.test(d.message));
});

test('GIVEN the lock is held by another kind THEN it does not block (one lock per kind)', () => {
  assert.deepEqual(decideLock({ DataMigrate: 'm' }, 'DataLoad', 'b', phases({ m: 'Executing' })), { action: 'acquire', value: 'b' });
});

test('GIVEN the holder finished or was deleted THEN the next one acquires and the stale holder is pruned', () => {
  for (const p of ['Complete', 'Failed', 'Missing'] as const) {
    assert.deepEqual(decideLock({ DataLoad: 'a' }, 'DataLoad', 'b', phases({ a: p })), { action: 'acquire', value: 'b' }, p);
  }
  assert.deepEqual(decideLock({ DataLoad: 'a,b' }, 'DataLoad', 'b', phases({ a: 'Complete', b: 'Executing' })), { action: 'acquire', value: 'b' });
});

test('GIVEN self already holds the lock alone THEN it is held (a restarted controller resumes)', () => {
  assert.deepEqual(decideLock({ DataLoad: 'a' }, 'DataLoad', 'a', phases({ a: 'Executing' })), { action: 'held' });
});

test('GIVEN Fluid-style comma lists THEN holders parse and release keeps the others', () => {
  assert.deepEqual(holdersOf({ DataLoad: 'a, b,,c' }, 'DataLoad'), ['a', 'b', 'c']);
  assert.equal(releaseValue({ DataLoad: 'a,b' }, 'DataLoad', 'a'), 'b');
  assert.equal(releaseValue({ DataLoad: 'a' }, 'DataLoad', 'a'), null);
  assert.equal(releaseValue({ DataLoad: 'b' }, 'DataLoad', 'a'), undefined);
});

test('GIVEN an operation in another namespace than its dataset THEN its holder key carries the namespace', () => {
  assert.equal(holderKey('ns1', 'a', 'ns1'), 'a');
  assert.equal(holderKey('ns2', 'a', 'ns1'), 'ns2/a');
  assert.deepEqual(parseHolderKey('ns2/a', 'ns1'), { namespace: 'ns2', name: 'a' });
  assert.deepEqual(parseHolderKey('a', 'ns1'), { namespace: 'ns1', name: 'a' });
});

test('GIVEN runAfter WHEN the preceding operation is missing, running, failed or complete THEN wait, wait, wait, proceed', () => {
  const ra = { kind: 'DataLoad', name: 'first' };
  assert.equal(decideRunAfter(undefined, 'default', undefined).action, 'proceed');
  const missing = decideRunAfter(ra, 'default', 'Missing');
  assert.ok(missing.action === 'wait' && missing.reason === 'DataOperationNotFound' && /DataLoad "default\/first"/.test(missing.message));
  assert.ok(decideRunAfter(ra, 'default', 'Executing').action === 'wait');
  const failed = decideRunAfter(ra, 'default', 'Failed');
  assert.ok(failed.action === 'wait' && failed.reason === 'DataOperationWaiting' && /it is Failed/.test(failed.message));
  assert.deepEqual(decideRunAfter(ra, 'default', 'Complete'), { action: 'proceed' });
  assert.equal(decideRunAfter({ kind: 'Pod', name: 'x' }, 'default', 'Complete').action, 'invalid');
});

test('GIVEN ttlSecondsAfterFinished WHEN the fake clock passes finish + ttl THEN delete, before that keep with the remaining time', () => {
  const fin = 1_000_000;
  assert.deepEqual(decideTtl(undefined, fin, fin + 1e9), { action: 'keep' });
  assert.deepEqual(decideTtl(30, fin, fin + 10_000), { action: 'keep', requeueAfterMs: 20_000 });
  assert.deepEqual(decideTtl(30, fin, fin + 30_000), { action: 'delete' });
  assert.deepEqual(decideTtl(0, fin, fin), { action: 'delete' });
});

// GIVEN a long-lived AbortSignal WHEN the informer's backoff sleep runs many times on it THEN no
// abort listener stays behind (they piled up into a MaxListenersExceededWarning).
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { sleep } from '../../../src/adapters/kube/informer.js';

test('GIVEN one signal WHEN sleep(1, signal) runs 30 times THEN no abort listener is left on it', async () => {
  const ac = new AbortController();
  for (let i = 0; i < 30; i++) await sleep(1, ac.signal);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  const pending = sleep(60_000, ac.signal);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
  ac.abort();
  await pending;
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planSources } from '../../../src/core/fuse/source-plan.js';

const w1 = { id: 'w1', host: 'hostA', address: 'hostA:1' };
const w2 = { id: 'w2', host: 'hostB', address: 'hostB:1' };
const w3 = { id: 'w3', host: 'hostC', address: 'hostC:1' };

const kinds = (a: ReturnType<typeof planSources>): string[] => a.map((x) => (x.kind === 'ufs' ? 'ufs' : `${x.kind}:${x.worker.id}`));

test('GIVEN a worker on the same host WHEN planning THEN it is read by short-circuit first and the UFS is last', () => {
  const plan = planSources({ localHost: 'hostA', workers: [w1, w2], holders: [], suspect: new Set(), spread: 0 });
  assert.deepEqual(kinds(plan), ['short-circuit:w1', 'remote:w1', 'remote:w2', 'ufs']);
});

test('GIVEN a remote holder WHEN planning on a host without workers THEN the holder comes first', () => {
  const plan = planSources({ localHost: 'elsewhere', workers: [w1, w2, w3], holders: ['w3'], suspect: new Set(), spread: 0 });
  assert.deepEqual(kinds(plan), ['remote:w3', 'remote:w1', 'remote:w2', 'ufs']);
});

test('GIVEN a suspect worker WHEN planning THEN it is tried after the healthy ones and never by short-circuit', () => {
  const plan = planSources({ localHost: 'hostA', workers: [w1, w2], holders: ['w1'], suspect: new Set(['w1']), spread: 0 });
  assert.deepEqual(kinds(plan), ['remote:w2', 'remote:w1', 'ufs']);
});

test('GIVEN no workers WHEN planning THEN only the UFS is tried', () => {
  assert.deepEqual(kinds(planSources({ localHost: 'h', workers: [], holders: [], suspect: new Set(), spread: 7 })), ['ufs']);
});

test('GIVEN cold blocks WHEN planning with different spreads THEN the first worker differs', () => {
  const firsts = new Set([0, 1, 2].map((s) => kinds(planSources({ localHost: 'x', workers: [w1, w2, w3], holders: [], suspect: new Set(), spread: s }))[0]));
  assert.equal(firsts.size, 3);
});

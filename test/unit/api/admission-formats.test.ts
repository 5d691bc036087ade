import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit } from '../../../src/core/admission/admit.js';
import { findKind } from '../../../src/api/kinds/index.js';

const dataset = findKind('data.fluid.io', 'v1alpha1', 'datasets');

function withCondition(time: string): Record<string, unknown> {
  return {
    apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', metadata: { name: 'hbase', namespace: 'default' },
    spec: { mounts: [{ mountPoint: 'http://127.0.0.1:8080/', name: 'hbase' }] },
    status: { phase: 'NotBound', conditions: [{ type: 'Ready', status: 'False', reason: 'NotBound', message: 'm', lastTransitionTime: time, lastUpdateTime: time }] },
  };
}

test('GIVEN a status condition with an RFC 3339 time WHEN admitted THEN it is accepted without any wiring by the caller', () => {
  assert.ok(dataset);
  const r = admit(dataset, withCondition('2026-11-23T03:19:00Z'), { fieldValidation: 'Strict' });
  assert.equal(r.ok, true, JSON.stringify(r));
});

test('GIVEN a condition time that is not RFC 3339 WHEN admitted THEN the error names the field', () => {
  assert.ok(dataset);
  const r = admit(dataset, withCondition('yesterday'), { fieldValidation: 'Strict' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.ok(r.errors.some((e) => e.path.startsWith('status.conditions[0].last')), JSON.stringify(r.errors));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admit } from '../../../src/core/admission/admit.js';
import { loadFixtures } from './fixtures.js';

test('GIVEN every seed fixture WHEN admitted with Strict field validation THEN it is accepted without warnings', () => {
  const fixtures = loadFixtures();
  assert.ok(fixtures.length >= 12, `expected the seed manifests, found ${fixtures.length}`);
  for (const f of fixtures) {
    const r = admit(f.def, f.object, { fieldValidation: 'Strict' });
    assert.ok(r.ok, `${f.file} ${f.def.kind}: ${JSON.stringify(r.ok ? [] : r.errors)}`);
    assert.deepEqual(r.warnings, [], `${f.file} ${f.def.kind}`);
  }
});

test('GIVEN the seed kinds WHEN listed THEN every kind of issue 2 appears in the fixtures', () => {
  const kinds = new Set(loadFixtures().map((f) => f.def.kind));
  for (const k of ['Dataset', 'AlluxioRuntime', 'JindoRuntime', 'JuiceFSRuntime', 'ThinRuntime', 'ThinRuntimeProfile', 'DataLoad', 'Secret', 'PersistentVolumeClaim']) {
    assert.ok(kinds.has(k), k);
  }
});

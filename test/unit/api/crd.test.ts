import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { crdFiles } from '../../../src/core/crd/crd.js';
import { fluidKinds } from '../../../src/api/kinds/index.js';
import { repoDir } from './fixtures.js';

// The raw manifests and the Helm chart's crds/ directory: two committed copies, one source (src/api).
for (const dir of ['deploy/crds', 'charts/fluid-ts/crds']) {
  test(`GIVEN the kind definitions WHEN the CRDs are regenerated in memory THEN they equal the committed ${dir} files`, () => {
    const crdDir = join(repoDir, dir);
    const files = crdFiles(fluidKinds);
    assert.deepEqual(readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort(), files.map((f) => f.fileName).sort());
    for (const f of files) {
      assert.equal(readFileSync(join(crdDir, f.fileName), 'utf8'), f.content, `${dir}/${f.fileName} is stale: run "npm run crds"`);
    }
  });
}

type Json = Record<string, unknown>;
/** Structural-schema rules the API server enforces on CRDs: every node has a type (or is int-or-string / preserved), no const, no patternProperties. */
function checkStructural(s: Json, path: string, problems: string[]): void {
  if (s['type'] === undefined && s['x-kubernetes-int-or-string'] !== true && s['x-kubernetes-preserve-unknown-fields'] !== true) problems.push(`${path}: no type`);
  for (const banned of ['const', 'patternProperties', '$id', 'oneOf']) if (s[banned] !== undefined) problems.push(`${path}: ${banned}`);
  if (s['properties'] !== undefined && s['additionalProperties'] !== undefined) problems.push(`${path}: properties and additionalProperties`);
  for (const [k, v] of Object.entries((s['properties'] as Json | undefined) ?? {})) checkStructural(v as Json, `${path}.${k}`, problems);
  if (s['items']) checkStructural(s['items'] as Json, `${path}[]`, problems);
  if (typeof s['additionalProperties'] === 'object') checkStructural(s['additionalProperties'] as Json, `${path}{}`, problems);
}

test('GIVEN each generated CRD WHEN inspected THEN names, scope, status subresource and a structural schema are present', () => {
  for (const f of crdFiles(fluidKinds)) {
    const crd = parse(f.content) as Json;
    const spec = crd['spec'] as Json;
    const version = (spec['versions'] as Json[])[0] as Json;
    const schema = (version['schema'] as Json)['openAPIV3Schema'] as Json;
    assert.equal(crd['apiVersion'], 'apiextensions.k8s.io/v1');
    assert.equal(spec['group'], 'data.fluid.io');
    // Runtimes also have Fluid's scale subresource (kubectl scale <runtime> --replicas=N).
    const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.currentWorkerNumberScheduled', labelSelectorPath: '.status.selector' };
    assert.deepEqual(version['subresources'], /runtimes\.yaml$/.test(f.fileName) ? { scale, status: {} } : { status: {} });
    assert.deepEqual((schema['properties'] as Json)['metadata'], { type: 'object' });
    const problems: string[] = [];
    checkStructural(schema, f.fileName, problems);
    assert.deepEqual(problems, []);
  }
  const profile = parse(crdFiles(fluidKinds).find((f) => f.fileName === 'data.fluid.io_thinruntimeprofiles.yaml')?.content ?? '') as Json;
  assert.equal((profile['spec'] as Json)['scope'], 'Cluster');
});

test('GIVEN the Dataset CRD WHEN inspected THEN placement is an enum defaulting to Exclusive and quota is int-or-string', () => {
  const crd = (name: string): Json => parse(crdFiles(fluidKinds).find((f) => f.fileName === name)?.content ?? '') as Json;
  const root = (c: Json): Json => ((((c['spec'] as Json)['versions'] as Json[])[0] as Json)['schema'] as Json)['openAPIV3Schema'] as Json;
  const dsSpec = ((root(crd('data.fluid.io_datasets.yaml'))['properties'] as Json)['spec'] as Json)['properties'] as Json;
  assert.deepEqual(dsSpec['placement'], { type: 'string', enum: ['Exclusive', 'Shared'], default: 'Exclusive' });
  const rtSpec = ((root(crd('data.fluid.io_alluxioruntimes.yaml'))['properties'] as Json)['spec'] as Json)['properties'] as Json;
  const level = (((rtSpec['tieredstore'] as Json)['properties'] as Json)['levels'] as Json)['items'] as Json;
  const quota = (level['properties'] as Json)['quota'] as Json;
  assert.equal(quota['x-kubernetes-int-or-string'], true);
});

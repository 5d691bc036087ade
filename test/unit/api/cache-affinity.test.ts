// The cache-affinity mutation (src/core/admission/cache-affinity.ts), data-driven from
// testdata/cache-affinity.txt. Each case: command lines, a "----" line, the exact expected output,
// ended by a blank line; every case starts from an empty namespace "demo" with no claims.
//   namespace k=v,...         the labels of the pod's namespace
//   claim NAME [dataset]      a PVC NAME in "demo"; with `dataset`, labelled as dataset demo/NAME's claim
//   claim NAME id=VALUE       a PVC NAME labelled fluid.io/dataset-id=VALUE
//   pod JSON                  the pod (one line); runs the mutation and prints its result:
//                             `unchanged: REASON`, or `datasets: ...` and the new spec.affinity as YAML
//   again                     runs the mutation on the pod it just produced (idempotence)
// FLUID_REWRITE=1 rewrites the file from the implementation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cacheAffinity, datasetOfClaim, type DatasetRef } from '../../../src/core/admission/cache-affinity.js';
import { repoDir } from './fixtures.js';

const script = join(repoDir, 'test/unit/api/testdata/cache-affinity.txt');

interface State { labels: Record<string, string>; claims: unknown[]; pod?: Record<string, unknown> }

function mutate(state: State, pod: Record<string, unknown>): string {
  const datasets = new Map<string, DatasetRef>();
  for (const c of state.claims) {
    const d = datasetOfClaim(c);
    if (d) datasets.set((c as { metadata: { name: string } }).metadata.name, d);
  }
  const before = JSON.stringify(pod);
  const r = cacheAffinity(pod, state.labels, datasets);
  assert.equal(JSON.stringify(pod), before, 'the input pod is never mutated');
  if (!r.changed) return `unchanged: ${r.reason}`;
  assert.deepEqual(r.patch, [{ op: 'add', path: '/spec/affinity', value: r.affinity }]);
  state.pod = { ...pod, spec: { ...(pod['spec'] as Record<string, unknown>), affinity: r.affinity } };
  return `datasets: ${r.datasets.map((d) => `${d.namespace}/${d.name}`).join(', ')}\n${stringify(r.affinity).trimEnd()}`;
}

function run(state: State, line: string): string {
  const [cmd = '', ...rest] = line.trim().split(/\s+/);
  switch (cmd) {
    case 'namespace':
      state.labels = Object.fromEntries((rest[0] ?? '').split(',').filter((kv) => kv !== '').map((kv) => kv.split('=') as [string, string]));
      return 'ok';
    case 'claim': {
      const [name = '', arg] = rest;
      const labels: Record<string, string> = arg === 'dataset' ? { 'fluid.io/dataset-id': `demo-${name}` } : arg?.startsWith('id=') ? { 'fluid.io/dataset-id': arg.slice(3) } : {};
      state.claims.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'demo', labels } });
      return 'ok';
    }
    case 'pod': return mutate(state, JSON.parse(line.trim().slice('pod'.length)) as Record<string, unknown>);
    case 'again': return state.pod ? mutate(state, state.pod) : 'error: no mutated pod yet';
    default: return `unknown command ${cmd}`;
  }
}

test('GIVEN the cases of testdata/cache-affinity.txt WHEN each pod is admitted THEN the mutation is exactly the expected one', () => {
  const text = readFileSync(script, 'utf8');
  const out: { cmds: string; expected: string; got: string }[] = [];
  for (const c of text.split(/\n\n+/).filter((x) => x.trim() !== '')) {
    const [cmds = '', expected = ''] = c.split(/\n----(?:\n|$)/);
    const state: State = { labels: {}, claims: [] };
    const lines = cmds.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const got = lines.map((l) => run(state, l)).filter((o) => o !== 'ok').join('\n');
    out.push({ cmds, expected: expected.trimEnd(), got });
  }
  if (process.env['FLUID_REWRITE']) writeFileSync(script, `${out.map((o) => `${o.cmds}\n----\n${o.got}`).join('\n\n')}\n`);
  for (const o of out) assert.equal(o.got, o.expected, o.cmds);
  assert.ok(out.length >= 10, 'the script has its cases');
});

// GIVEN `fluid up` in a temp home and the real kubectl, WHEN the seed manifests are driven
// through create/get/describe/apply/patch/label/wait/edit/delete, THEN kubectl behaves as
// against a real cluster and prints Fluid's columns.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { components } from '../../../src/apps/controlplane/components.js';
import { repoRoot, runFluid, tempDir, waitFor } from '../../support/proc.js';
import { startNginx } from '../../support/servers.js';
import { upCluster } from './harness.js';

const seedsDir = join(repoRoot, 'test/fixtures/seeds');

/** Points every Dataset mountPoint of a fixture at `url` (the fixtures themselves stay verbatim). */
function withMountPoint(yaml: string, url: string): string {
  return yaml.replace(/mountPoint:\s*\S+/g, `mountPoint: ${url}`);
}

test('GIVEN a control plane started with fluid up WHEN seed 001\'s Dataset is created with kubectl THEN kubectl get dataset prints Fluid\'s columns', async (t) => {
  const webRoot = tempDir(t, 'fluid-web-');
  chmodSync(webRoot, 0o755); // nginx workers run as an unprivileged user
  writeFileSync(join(webRoot, 'hbase-2.5.tar.gz'), 'not really a tarball\n');
  const nginx = await startNginx(t, webRoot);
  const c = upCluster(t);
  const work = tempDir(t, 'fluid-manifests-');

  const ds = join(work, 'dataset.yaml');
  writeFileSync(ds, withMountPoint(readFileSync(join(seedsDir, 'seed001-dataset.yaml'), 'utf8'), nginx.url));
  const created = c.kubectl(['create', '-f', ds]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout.trim(), 'dataset.data.fluid.io/hbase created');

  const got = c.kubectl(['get', 'dataset', 'hbase']);
  assert.equal(got.code, 0, got.stderr);
  const [header, row] = got.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^NAME\s+UFS TOTAL SIZE\s+CACHED\s+CACHE CAPACITY\s+CACHED PERCENTAGE\s+PHASE\s+AGE$/);
  assert.match(row ?? '', /^hbase\s/);
  if (components.length > 0) {
    // The dataset controller (a registered component) sets the phase.
    await waitFor('PHASE NotBound', () => /\sNotBound\s/.test(c.kubectl(['get', 'dataset', 'hbase']).stdout), 60_000, 500);
  }

  // apply twice: created, then unchanged.
  const dl = join(work, 'dataload.yaml');
  writeFileSync(dl, readFileSync(join(seedsDir, 'dataload.yaml'), 'utf8'));
  const a1 = c.kubectl(['apply', '-f', dl]);
  assert.equal(a1.code, 0, a1.stderr);
  assert.match(a1.stdout, /created/);
  const a2 = c.kubectl(['apply', '-f', dl]);
  assert.equal(a2.code, 0, a2.stderr);
  assert.match(a2.stdout, /unchanged/);

  // patch (merge + json), label, wait, output formats, edit.
  assert.equal(c.kubectl(['patch', 'dataset', 'hbase', '--type', 'merge', '-p', '{"metadata":{"annotations":{"team":"data"}}}']).code, 0);
  const jp = c.kubectl(['patch', 'dataset', 'hbase', '--type', 'json', '-p', '[{"op":"add","path":"/spec/mounts/0/options","value":{"timeout":"30s"}}]']);
  assert.equal(jp.code, 0, jp.stderr);
  const lab = c.kubectl(['label', 'dataset', 'hbase', 'tier=hot']);
  assert.equal(lab.code, 0, lab.stderr);
  assert.match(lab.stdout, /labeled/);
  const waited = c.kubectl(['wait', '--for=jsonpath={.metadata.labels.tier}=hot', 'dataset/hbase', '--timeout=20s']);
  assert.equal(waited.code, 0, waited.stderr);
  assert.match(waited.stdout, /condition met/);
  const yamlOut = c.kubectl(['get', 'dataset', 'hbase', '-o', 'yaml']);
  assert.match(yamlOut.stdout, /team: data/);
  assert.match(yamlOut.stdout, /timeout: 30s/);
  const jsonOut = JSON.parse(c.kubectl(['get', 'dataset', 'hbase', '-o', 'json']).stdout) as { metadata: { labels: Record<string, string>; generation: number } };
  assert.equal(jsonOut.metadata.labels.tier, 'hot');
  assert.equal(c.kubectl(['get', 'dataset', 'hbase', '-o', 'jsonpath={.spec.mounts[0].mountPoint}']).stdout, nginx.url);
  assert.equal(c.kubectl(['get', 'datasets', '-l', 'tier in (hot,warm),!cold', '-o', 'name']).stdout.trim(), 'dataset.data.fluid.io/hbase');
  assert.equal(c.kubectl(['get', 'datasets', '-l', 'tier notin (hot)', '-o', 'name']).stdout.trim(), '');
  assert.match(c.kubectl(['get', 'dataset', 'hbase', '-o', 'wide']).stdout.split('\n')[0] ?? '', /^NAME\s+UFS TOTAL SIZE\s+CACHED/);
  const edited = c.kubectl(['edit', 'dataset', 'hbase'], { env: { EDITOR: 'sed -i s/tier:\\ hot/tier:\\ warm/' } });
  assert.equal(edited.code, 0, edited.stderr);
  assert.equal(c.kubectl(['get', 'dataset', 'hbase', '-o', 'jsonpath={.metadata.labels.tier}']).stdout, 'warm');

  // Every seed fixture: create, list, describe, delete.
  const fixtures = readdirSync(seedsDir).filter((f) => f.endsWith('.yaml') && f !== 'seed001-dataset.yaml' && f !== 'dataload.yaml').sort();
  assert.ok(fixtures.length >= 5, `expected seed fixtures in ${seedsDir}`);
  for (const f of fixtures) {
    const p = join(work, f);
    writeFileSync(p, withMountPoint(readFileSync(join(seedsDir, f), 'utf8'), nginx.url));
    const r = c.kubectl(['create', '-f', p]);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    assert.match(r.stdout, / created/);
  }
  for (const kind of ['datasets', 'alluxioruntimes', 'jindoruntimes', 'thinruntimeprofiles', 'dataloads', 'secrets', 'persistentvolumeclaims']) {
    const list = c.kubectl(['get', kind]);
    assert.equal(list.code, 0, `${kind}: ${list.stderr}`);
    assert.match(list.stdout, /^NAME\s/, `${kind} list`);
  }
  const describe = c.kubectl(['describe', 'dataset', 'demo']);
  assert.equal(describe.code, 0, describe.stderr);
  assert.match(describe.stdout, /Name:\s+demo/);
  assert.match(describe.stdout, /Mount Point:/);
  assert.equal(c.kubectl(['describe', 'jindoruntime', 'demo']).code, 0);
  assert.equal(c.kubectl(['describe', 'thinruntimeprofile', 'minio']).code, 0);
  const secretDescribe = c.kubectl(['describe', 'secret', 'access-key']);
  assert.equal(secretDescribe.code, 0, secretDescribe.stderr);
  assert.doesNotMatch(secretDescribe.stdout, /S3RVER/, 'describe shows sizes, not secret values');

  for (const f of [...fixtures].reverse()) {
    const r = c.kubectl(['delete', '-f', join(work, f)]);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
  }
  assert.equal(c.kubectl(['delete', 'dataset', 'hbase']).code, 0);
  assert.equal(c.kubectl(['delete', '-f', dl]).code, 0);
  await waitFor('all datasets gone', () => c.kubectl(['get', 'datasets', '-o', 'name']).stdout.trim() === '', 30_000, 250);

  // fluid status / kubeconfig / idempotent up.
  const st = runFluid(['status', '--home', c.home]);
  assert.match(st.stdout, /state:\s+running/);
  assert.match(st.stdout, /namespaces\s+5/);
  assert.equal(runFluid(['kubeconfig', '--home', c.home]).stdout.trim(), c.kubeconfig);
  const again = runFluid(['up', '--home', c.home]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already running/);
  const down = runFluid(['down', '--home', c.home]);
  assert.equal(down.code, 0, down.stderr);
  assert.match(runFluid(['status', '--home', c.home]).stdout, /state:\s+stopped/);
});

// GIVEN a running API server, WHEN bad input arrives (malformed YAML/JSON, unknown fields,
// invalid values, wrong apiVersion/kind, a 3 MB object, a missing namespace, no token), THEN
// it is rejected with a clear message and nothing is stored; secret values never leak.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, tempDir } from '../../support/proc.js';
import { startApiServerProcess, type Cluster } from './harness.js';

function names(c: Cluster, resource: string): string[] {
  const r = c.kubectl(['get', resource, '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter((s) => s !== '').sort();
}

test('GIVEN a running API server WHEN bad manifests are submitted THEN each is rejected with a clear message and leaves no partial state', async (t) => {
  const home = tempDir(t, 'fluid-apiserver-');
  const { cluster: c } = await startApiServerProcess(t, home, await freePort());
  const work = tempDir(t, 'fluid-manifests-');
  const before = { ds: names(c, 'datasets'), cm: names(c, 'configmaps') };

  // Malformed YAML: kubectl refuses to parse it; a malformed JSON body sent directly is a 400.
  const bad = join(work, 'malformed.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n');
  const m = c.kubectl(['create', '-f', bad]);
  assert.notEqual(m.code, 0);
  assert.match(m.stderr, /error parsing .*malformed\.yaml|yaml/i);
  const raw = await c.api('POST', '/api/v1/namespaces/default/configmaps', { raw: '{"apiVersion": "v1", "kind": ', contentType: 'application/json' });
  assert.equal(raw.status, 400);
  assert.equal(raw.json().reason, 'BadRequest');
  assert.match(String(raw.json().message), /not valid JSON/);

  // Unknown field under kubectl's default strict validation.
  const unknown = join(work, 'unknown.yaml');
  writeFileSync(unknown, 'apiVersion: data.fluid.io/v1alpha1\nkind: Dataset\nmetadata:\n  name: strict\nspec:\n  mounts:\n  - mountPoint: https://example.org/x/\n    name: x\n  mountz: []\n');
  const u = c.kubectl(['create', '-f', unknown]);
  assert.notEqual(u.code, 0);
  assert.match(u.stderr, /Dataset in version "v1alpha1" cannot be handled as a Dataset: strict decoding error: unknown field "spec.mountz"/);

  // With --validate=warn the unknown field is dropped and reported as a Warning header.
  const warned = c.kubectl(['create', '--validate=warn', '-f', unknown]);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /Warning: unknown field "spec.mountz"/);
  assert.equal(c.kubectl(['get', 'dataset', 'strict', '-o', 'jsonpath={.spec.mountz}']).stdout, '');
  assert.equal(c.kubectl(['delete', 'dataset', 'strict']).code, 0);

  // Invalid value: kubectl prints kube's "The Dataset "x" is invalid: <field>: Invalid value: ...".
  const inv = join(work, 'invalid.yaml');
  writeFileSync(inv, 'apiVersion: data.fluid.io/v1alpha1\nkind: Dataset\nmetadata:\n  name: x\nspec:\n  mounts:\n  - mountPoint: ftp://a\n    name: a\n');
  const iv = c.kubectl(['create', '-f', inv]);
  assert.notEqual(iv.code, 0);
  assert.match(iv.stderr, /The Dataset "x" is invalid: spec\.mounts\[0\]\.mountPoint: Invalid value: "ftp:\/\/a"/);
  const direct = await c.api('POST', '/apis/data.fluid.io/v1alpha1/namespaces/default/datasets', {
    body: { apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', metadata: { name: 'x' }, spec: { mounts: [{ mountPoint: 'ftp://a', name: 'a' }] } },
  });
  assert.equal(direct.status, 422);
  const st = direct.json<{ reason: string; message: string; details: { kind: string; name: string; causes: { field: string }[] } }>();
  assert.equal(st.reason, 'Invalid');
  assert.match(st.message, /^Dataset\.data\.fluid\.io "x" is invalid: spec\.mounts\[0\]\.mountPoint: Invalid value: "ftp:\/\/a"/);
  assert.equal(st.details.causes[0]?.field, 'spec.mounts[0].mountPoint');

  // Wrong apiVersion / kind: kubectl cannot map it (as against a real cluster); sent directly, a 400.
  const wrong = join(work, 'wrong.yaml');
  writeFileSync(wrong, 'apiVersion: data.fluid.io/v1\nkind: Dataset\nmetadata:\n  name: wrong\n');
  const w = c.kubectl(['create', '-f', wrong]);
  assert.notEqual(w.code, 0);
  assert.match(w.stderr, /no matches for kind "Dataset" in version "data.fluid.io\/v1"/);
  writeFileSync(wrong, 'apiVersion: data.fluid.io/v1alpha1\nkind: Datasett\nmetadata:\n  name: wrong\n');
  assert.match(c.kubectl(['create', '-f', wrong]).stderr, /no matches for kind "Datasett"/);
  const mismatch = await c.api('POST', '/apis/data.fluid.io/v1alpha1/namespaces/default/datasets', {
    body: { apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', metadata: { name: 'wrong' } },
  });
  assert.equal(mismatch.status, 400);
  assert.match(String(mismatch.json().message), /the kind in the data \(AlluxioRuntime\) does not match the expected kind \(Dataset\)/);
  const mismatchV = await c.api('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'wrong' } } });
  assert.equal(mismatchV.status, 400);
  assert.match(String(mismatchV.json().message), /API version in the data \(v2\) does not match the expected API version \(v1\)/);

  // A 3 MB object: 413, through kubectl and directly (a body under the 3 MiB request limit).
  const big = join(work, 'big.yaml');
  writeFileSync(big, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'x'.repeat(3_000_000)}\n`);
  const b = c.kubectl(['create', '-f', big]);
  assert.notEqual(b.code, 0);
  assert.match(b.stderr, /too large/i);
  const huge = await c.api('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { blob: 'y'.repeat(4 * 1024 * 1024) } } });
  assert.equal(huge.status, 413);
  assert.equal(huge.json().reason, 'RequestEntityTooLarge');

  // A namespace that does not exist.
  const ns = join(work, 'ns.yaml');
  writeFileSync(ns, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lost\n  namespace: nope\ndata:\n  a: b\n');
  const n = c.kubectl(['create', '-f', ns]);
  assert.notEqual(n.code, 0);
  assert.match(n.stderr, /namespaces "nope" not found/);

  // Multi-document file whose second document is bad: kubectl creates the first, reports the second.
  const multi = join(work, 'multi.yaml');
  writeFileSync(multi, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first-ok\ndata:\n  a: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second-bad\ndatax:\n  a: b\n');
  const mu = c.kubectl(['create', '-f', multi]);
  assert.notEqual(mu.code, 0);
  assert.match(mu.stdout, /configmap\/first-ok created/);
  assert.match(mu.stderr, /unknown field "datax"/);

  assert.deepEqual(names(c, 'datasets'), before.ds, 'no Dataset was stored by the rejected requests');
  assert.deepEqual(names(c, 'configmaps'), [...before.cm, 'first-ok'].sort(), 'only the valid document was stored');
});

test('GIVEN a running API server WHEN a request has no valid token or carries a Secret THEN it gets 401 and the secret never reaches logs or errors', async (t) => {
  const home = tempDir(t, 'fluid-apiserver-');
  const { cluster: c } = await startApiServerProcess(t, home, await freePort(), [], { FLUID_LOG_LEVEL: 'debug' });
  assert.equal(statSync(join(home, 'token')).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, 'kubeconfig')).mode & 0o777, 0o600);

  const anon = await c.api('GET', '/api/v1/namespaces', { token: null });
  assert.equal(anon.status, 401);
  assert.equal(anon.json().reason, 'Unauthorized');
  assert.equal((await c.api('GET', '/apis', { token: 'not-the-token' })).status, 401);
  assert.equal((await c.api('GET', '/healthz', { token: null })).status, 200);
  assert.equal((await c.api('GET', '/readyz', { token: null })).status, 200);

  const secretValue = 'S3CR3T-do-not-leak-7f3a9c';
  const ok = c.kubectl(['create', 'secret', 'generic', 'creds', `--from-literal=password=${secretValue}`]);
  assert.equal(ok.code, 0, ok.stderr);
  const manifest = join(tempDir(t), 'secret.yaml');
  writeFileSync(manifest, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds2\nstringData:\n  password: ${secretValue}\n`);
  assert.equal(c.kubectl(['apply', '-f', manifest]).code, 0);
  // Invalid Secrets: the error names the field but does not echo the value.
  const badType = await c.api('POST', '/api/v1/namespaces/default/secrets', {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, stringData: { password: { nested: secretValue } } },
  });
  assert.ok(badType.status === 422 || badType.status === 400, `status ${badType.status}`);
  assert.doesNotMatch(badType.text, new RegExp(secretValue));
  const badJson = await c.api('POST', '/api/v1/namespaces/default/secrets', { raw: `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"stringData":{"p": ${secretValue}}}` });
  assert.equal(badJson.status, 400);
  assert.doesNotMatch(badJson.text, new RegExp(secretValue.slice(0, 8)));
  const badYaml = await c.api('POST', '/api/v1/namespaces/default/secrets', { raw: `apiVersion: v1\nkind: Secret\nstringData: [\n p: ${secretValue}`, contentType: 'application/yaml' });
  assert.equal(badYaml.status, 400);
  assert.doesNotMatch(badYaml.text, new RegExp(secretValue.slice(0, 8)));
  const badName = await c.api('POST', '/api/v1/namespaces/default/secrets', {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'Bad_Name' }, data: { password: Buffer.from(secretValue).toString('base64') } },
  });
  assert.equal(badName.status, 422);
  assert.doesNotMatch(badName.text, new RegExp(secretValue));
  assert.doesNotMatch(badName.text, new RegExp(Buffer.from(secretValue).toString('base64')));
  const bad = c.kubectl(['create', 'secret', 'generic', 'Bad_Name', `--from-literal=password=${secretValue}`]);
  assert.notEqual(bad.code, 0);
  assert.doesNotMatch(bad.stderr, new RegExp(secretValue));

  const log = readFileSync(join(home, 'logs', 'controlplane.log'), 'utf8');
  assert.match(log, /"level":"debug","msg":"request".*"path":"\/api\/v1\/namespaces\/default\/secrets"/, 'requests are logged at debug (FLUID_LOG_LEVEL=debug)');
  assert.doesNotMatch(log, new RegExp(secretValue));
  assert.doesNotMatch(log, new RegExp(Buffer.from(secretValue).toString('base64')));
  assert.doesNotMatch(log, new RegExp(readFileSync(join(home, 'token'), 'utf8').trim()), 'the token is never logged');
});

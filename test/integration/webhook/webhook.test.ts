// `fluid webhook` as a process, against the embedded API server (`fluid apiserver`) and against an
// unreachable one: the AdmissionReview answer carries exactly the mutation the embedded API server
// applies to the same pod in its own admission; pods of unlabelled namespaces get no patch; a
// webhook that cannot look anything up still admits (with a warning); bad requests and bad flags
// get errors naming what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { freePort, runFluid, startFluid, tempDir, waitFor } from '../../support/proc.js';
import { startApiServerProcess } from '../apiserver/harness.js';

interface Answer { status: number; text: string }

function post(port: number, ca: string, path: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const review = (namespace: string, pod: Record<string, unknown>): string => JSON.stringify({
  apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
  request: { uid: 'u-1', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace, operation: 'CREATE', object: pod },
});

const pod = (name: string, claim: string): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] },
});

test('GIVEN fluid webhook over TLS WHEN kube-style AdmissionReviews arrive THEN dataset pods in labelled namespaces get the embedded admission\'s exact affinity, others none, failures admit, bad input is named', { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, 'fluid-webhook-');
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(ssl.status, 0, ssl.stderr);
  const ca = readFileSync(cert, 'utf8');

  const { cluster } = await startApiServerProcess(t, join(dir, 'home'), await freePort());
  const kubectl = (args: string[], input?: string): string => {
    const r = cluster.kubectl(args, input !== undefined ? { input } : {});
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  kubectl(['create', 'namespace', 'demo']);
  kubectl(['label', 'namespace', 'demo', 'fluid.io/enable-injection=true']);
  for (const ns of ['demo', 'default']) {
    kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'hbase', namespace: ns, labels: { 'fluid.io/dataset-id': `${ns}-hbase` } }, spec: { accessModes: ['ReadOnlyMany'], resources: { requests: { storage: '1Gi' } } } }));
  }
  kubectl(['create', '-n', 'demo', '-f', '-'], JSON.stringify(pod('embedded', 'hbase')));
  const embedded = (JSON.parse(kubectl(['get', 'pod', '-n', 'demo', 'embedded', '-o', 'json'])) as { spec: { affinity?: unknown } }).spec.affinity;
  assert.deepEqual(embedded, { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'fluid.io/s-demo-hbase', operator: 'In', values: ['true'] }] } }] } });

  const startWebhook = async (kubeconfig: string): Promise<number> => {
    const port = await freePort();
    const proc = startFluid(t, ['webhook', '--tls-cert-file', cert, '--tls-key-file', key, '--port', String(port), '--address', '127.0.0.1', '--kubeconfig', kubeconfig]);
    await waitFor('the webhook to serve', () => {
      if (proc.child.exitCode !== null) throw new Error(`fluid webhook exited: ${proc.output()}`);
      return proc.output().includes('webhook serving');
    }, 30_000, 100);
    return port;
  };
  const port = await startWebhook(cluster.kubeconfig);
  const answer = async (ns: string, p: Record<string, unknown>): Promise<{ uid: string; allowed: boolean; patchType?: string; patch?: string; warnings?: string[] }> => {
    const r = await post(port, ca, '/mutate-pods', review(ns, p));
    assert.equal(r.status, 200, r.text);
    const body = JSON.parse(r.text) as { apiVersion: string; kind: string; response: { uid: string; allowed: boolean; patchType?: string; patch?: string; warnings?: string[] } };
    assert.deepEqual([body.apiVersion, body.kind, body.response.uid, body.response.allowed], ['admission.k8s.io/v1', 'AdmissionReview', 'u-1', true]);
    return body.response;
  };
  const mutated = await answer('demo', pod('via-webhook', 'hbase'));
  assert.equal(mutated.patchType, 'JSONPatch');
  assert.deepEqual(JSON.parse(Buffer.from(mutated.patch ?? '', 'base64').toString('utf8')), [{ op: 'add', path: '/spec/affinity', value: embedded }], 'the webhook and the embedded admission agree');
  const untouched = await answer('default', pod('other-ns', 'hbase'));
  assert.equal(untouched.patch, undefined, 'a namespace without the label gets no patch');
  assert.equal((await answer('demo', pod('plain-claim', 'missing'))).patch, undefined, 'a claim that is no dataset\'s gets no patch');

  // Bad requests name what is wrong.
  const bad = async (body: string, path = '/mutate-pods'): Promise<Answer> => post(port, ca, path, body);
  const notJson = await bad('{not json');
  assert.equal(notJson.status, 400);
  assert.match(notJson.text, /^body: /);
  assert.match((await bad(JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview' }))).text, /^apiVersion\/kind: expected admission\.k8s\.io\/v1 AdmissionReview/);
  assert.match((await bad(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'x', kind: { group: 'apps', kind: 'Deployment' } } }))).text, /^request\.kind: expected the core Pod kind/);
  assert.equal((await bad('{}', '/elsewhere')).status, 404);

  // A webhook whose API server is unreachable admits the pod unchanged, with a warning.
  const unreachable = join(dir, 'unreachable.kubeconfig');
  writeFileSync(unreachable, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\ncurrent-context: x\n', { mode: 0o600 });
  const lonely = await startWebhook(unreachable);
  const r = await post(lonely, ca, '/mutate-pods', review('demo', pod('no-api', 'hbase')));
  const resp = (JSON.parse(r.text) as { response: { allowed: boolean; patch?: string; warnings?: string[] } }).response;
  assert.equal(resp.allowed, true);
  assert.equal(resp.patch, undefined);
  assert.match(resp.warnings?.[0] ?? '', /^fluid webhook: cache affinity not applied: /);

  // Bad flags.
  const noTls = runFluid(['webhook', '--port', '9443']);
  assert.equal(noTls.code, 1);
  assert.match(noTls.stderr, /--tls-cert-file FILE and --tls-key-file FILE are required/);
  const badPort = runFluid(['webhook', '--tls-cert-file', cert, '--tls-key-file', key, '--port', 'x']);
  assert.match(badPort.stderr, /--port: expected a port number 0-65535, got "x"/);
  const missing = runFluid(['webhook', '--tls-cert-file', join(dir, 'nope.crt'), '--tls-key-file', key, '--kubeconfig', unreachable]);
  assert.match(missing.stderr, /--tls-cert-file .*nope\.crt: ENOENT/);
});

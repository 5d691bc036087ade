// GIVEN the table in testdata/api-conformance.json (requests and what the real kube-apiserver
// answers to them) WHEN its steps run in order against `fluid up` THEN every answer matches:
// status code, reason, message, Warning headers, fields of the returned object, list pages and
// watch events.
//
// FLUID_API_CONFORMANCE_KUBECONFIG=<path> runs the same table against any other API server (a
// real kube-apiserver with Fluid's CRDs installed) instead of starting `fluid up`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/proc.js';
import { kubeconfigClient, upCluster, type ApiCall, type HttpResult } from './harness.js';

interface Expect {
  readonly code: number;
  readonly reason?: string;
  readonly message?: string;
  readonly messageContains?: string;
  readonly warnings?: readonly string[];
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly differs?: Readonly<Record<string, unknown>>;
  readonly absent?: readonly string[];
  readonly itemCount?: number;
  readonly itemNames?: readonly string[];
  readonly hasContinue?: boolean;
  readonly watchEvents?: readonly (readonly [string, string])[];
  readonly capture?: Readonly<Record<string, string>>;
}

interface Step {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly raw?: string;
  readonly contentType?: string;
  readonly auth?: boolean;
  readonly expect: Expect;
}

const table = JSON.parse(readFileSync(join(repoRoot, 'test/integration/apiserver/testdata/api-conformance.json'), 'utf8')) as { steps: Step[] };

/** `a.b.c` in a JSON value; undefined when any segment is missing. */
function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const seg of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Warning header texts (`299 - "text"`), unescaped. */
function warnings(res: HttpResult): string[] {
  const h = res.headers.warning;
  const all = h === undefined ? [] : Array.isArray(h) ? h : h.split(/,(?=\s*299 )/);
  return all.map((w) => {
    const m = /^\s*299 \S+ "((?:[^"\\]|\\.)*)"/.exec(w);
    return m ? (m[1] ?? '').replace(/\\(.)/g, '$1') : w;
  });
}

function check(step: Step, res: HttpResult, vars: Map<string, unknown>): void {
  const e = step.expect;
  const where = `${step.name}: ${step.method} ${step.path} -> ${res.status} ${res.text.slice(0, 400)}`;
  assert.equal(res.status, e.code, where);
  const resolve = (v: unknown): unknown => (typeof v === 'string' && v.startsWith('$') ? vars.get(v.slice(1)) : v);
  if (e.watchEvents !== undefined) {
    const events = res.text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { type: string; object: { metadata?: { name?: string } } });
    assert.deepEqual(events.map((ev) => [ev.type, ev.object.metadata?.name ?? '']), e.watchEvents, where);
    return;
  }
  const body = res.text === '' ? undefined : (JSON.parse(res.text) as unknown);
  if (e.reason !== undefined) assert.equal(at(body, 'reason'), e.reason, where);
  if (e.message !== undefined) assert.equal(at(body, 'message'), e.message, where);
  if (e.messageContains !== undefined) assert.ok(String(at(body, 'message')).includes(e.messageContains), where);
  if (e.warnings !== undefined) assert.deepEqual(warnings(res), e.warnings, where);
  for (const [p, v] of Object.entries(e.fields ?? {})) assert.deepEqual(at(body, p), resolve(v), `${where} (${p})`);
  for (const [p, v] of Object.entries(e.differs ?? {})) assert.notDeepEqual(at(body, p), resolve(v), `${where} (${p})`);
  for (const p of e.absent ?? []) assert.equal(at(body, p), undefined, `${where} (${p} must be absent)`);
  const items = at(body, 'items') as { metadata: { name: string } }[] | undefined;
  if (e.itemCount !== undefined) assert.equal(items?.length, e.itemCount, where);
  if (e.itemNames !== undefined) assert.deepEqual(items?.map((i) => i.metadata.name), e.itemNames, where);
  if (e.hasContinue !== undefined) assert.equal(typeof at(body, 'metadata.continue') === 'string' && at(body, 'metadata.continue') !== '', e.hasContinue, where);
  for (const [name, p] of Object.entries(e.capture ?? {})) vars.set(name, at(body, p));
}

test('GIVEN the API conformance table WHEN each request is sent in order THEN the answers are what kube-apiserver answers', async (t) => {
  const external = process.env.FLUID_API_CONFORMANCE_KUBECONFIG;
  const api: ApiCall = external !== undefined && external !== '' ? kubeconfigClient(external) : upCluster(t).api;
  const ns = `conformance-${process.pid}`;
  const vars = new Map<string, unknown>();
  const subst = (s: string): string => s.replaceAll('{ns}', ns);
  for (const step of table.steps) {
    // A query value "$name" is a value captured by an earlier step (e.g. a continue token).
    const query = Object.fromEntries(Object.entries(step.query ?? {}).map(([k, v]) => [k, v.startsWith('$') ? String(vars.get(v.slice(1)) ?? '') : v]));
    const qs = new URLSearchParams(query).toString();
    const payload = step.raw !== undefined ? subst(step.raw) : step.body !== undefined ? subst(JSON.stringify(step.body)) : undefined;
    const res = await api(step.method, `${subst(step.path)}${qs ? `?${qs}` : ''}`, {
      ...(payload !== undefined ? { raw: payload } : {}),
      ...(step.contentType !== undefined ? { contentType: step.contentType } : {}),
      ...(step.auth === false ? { token: null } : {}),
    });
    check(step, res, vars);
  }
});

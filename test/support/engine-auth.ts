// Data-driven probes of engine authentication: every /rpc/* method and raw route of a master and
// a worker, sent without a credential or with another runtime's, must answer 401 with the
// Unauthorized error body and nothing else; /healthz and /metrics stay open.
import assert from 'node:assert/strict';
import { MASTER_METHOD_NAMES, WORKER_METHOD_NAMES } from '../../src/api/engine-rpc.js';
import type { EngineCredential } from '../../src/adapters/rpc/engine-credential.js';

export interface Probe {
  readonly what: string;
  readonly address: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

/** Every authenticated endpoint of one master and one worker (with plausible bodies). */
export function engineProbes(master: string, worker: string): Probe[] {
  const id = '0'.repeat(32);
  const body = JSON.stringify({ path: '/', workerId: 'w', instanceId: 'i', address: '127.0.0.1:1', host: '127.0.0.1', uid: 0, tierPaths: [], tiers: [], blocks: [] });
  return [
    ...MASTER_METHOD_NAMES.map((m): Probe => ({ what: `master ${m}`, address: master, method: 'POST', path: `/rpc/${m}`, body })),
    { what: 'master raft', address: master, method: 'POST', path: '/rpc/raft', body: '{"messages":[]}' },
    { what: 'master raft snapshot', address: master, method: 'POST', path: '/raft/snapshot', body: 'x' },
    { what: 'master unknown method', address: master, method: 'POST', path: '/rpc/nope', body: '{}' },
    ...WORKER_METHOD_NAMES.map((m): Probe => ({ what: `worker ${m}`, address: worker, method: 'POST', path: `/rpc/${m}`, body: '{"handle":"h","blocks":[]}' })),
    { what: 'worker GET /blocks', address: worker, method: 'GET', path: `/blocks/${id}?mount=hbase&path=/x&offset=0&length=10&fingerprint=&blockSize=4096` },
    { what: 'worker unknown route', address: worker, method: 'GET', path: '/blocks' },
  ];
}

/** Sends every probe with the given credential (or none) and asserts 401 Unauthorized for each. */
export async function assertAllUnauthorized(probes: readonly Probe[], credential?: EngineCredential): Promise<void> {
  for (const p of probes) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credential) headers.authorization = credential.authorization();
    const res = await fetch(`http://${p.address}${p.path}`, { method: p.method, headers, ...(p.body !== undefined ? { body: p.body } : {}), signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    assert.equal(res.status, 401, `${p.what} (${credential ? 'another runtime\'s token' : 'no token'}): ${text}`);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /, p.what);
    const parsed = JSON.parse(text) as { error?: { code?: string }; [k: string]: unknown };
    assert.deepEqual(Object.keys(parsed), ['error'], `${p.what}: only an error body`);
    assert.equal(parsed.error?.code, 'Unauthorized', p.what);
  }
}

/** /healthz and /metrics answer without a credential. */
export async function assertHealthOpen(addresses: readonly string[]): Promise<void> {
  for (const a of addresses) {
    for (const path of ['/healthz', '/metrics']) {
      const res = await fetch(`http://${a}${path}`, { signal: AbortSignal.timeout(10_000) });
      await res.text();
      assert.equal(res.status, 200, `${a}${path}`);
    }
  }
}

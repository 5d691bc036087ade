// Client side of the engine's HTTP transport: JSON POST /rpc/<method> and binary GETs over one shared
// keep-alive agent per process.
import { isRpcErrorCode } from '../../api/engine-rpc-errors.js';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { RpcErrorBody } from '../../api/engine-rpc.js';
import type { EngineCredential } from './engine-credential.js';
import { RpcRemoteError, RpcUnreachableError } from './rpc-errors.js';

/** Shared by every client in the process: connections are reused across calls. */
const agent = new Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });

export interface CallOptions {
  readonly requestId?: string;
  /** Gives up (RpcUnreachableError) when no answer arrives in time. Default 30 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Sent as `Authorization: Bearer ...`; every engine route but /healthz and /metrics requires it. */
  readonly credential?: EngineCredential;
}

export interface BinaryResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i <= 0) throw new RpcUnreachableError(address, 'address must be host:port');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

/** Sends one HTTP request and buffers the whole answer. Network failures become RpcUnreachableError. */
export function httpExchange(
  address: string, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined, opts: CallOptions = {},
): Promise<BinaryResponse> {
  const { host, port } = splitAddress(address);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    if (opts.credential) all.authorization = opts.credential.authorization();
    const req = request({ host, port, method, path, agent, headers: all, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (err) => reject(new RpcUnreachableError(address, err.message, { cause: err })));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new RpcUnreachableError(address, err.message, { cause: err })));
    req.end(body);
  });
}

/**
 * A GET whose 2xx body is copied straight into `target` (no buffering): resolves with the byte
 * count and headers; a body that does not fit fails (RpcUnreachableError). A non-2xx answer is
 * buffered and resolved as `failed`, for remoteError.
 */
export function httpGetInto(
  address: string, path: string, headers: Record<string, string>, target: Uint8Array, opts: CallOptions = {},
): Promise<{ readonly written: number; readonly headers: IncomingHttpHeaders; readonly failed?: BinaryResponse }> {
  const { host, port } = splitAddress(address);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers };
    if (opts.credential) all.authorization = opts.credential.authorization();
    const req = request({ host, port, method: 'GET', path, agent, headers: all, signal: opts.signal }, (res) => {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const chunks: Buffer[] = [];
      let written = 0;
      res.on('data', (c: Buffer) => {
        if (!ok) { chunks.push(c); return; }
        if (written + c.length > target.length) {
          res.destroy(new Error(`answer longer than the ${target.length} bytes expected`));
          return;
        }
        target.set(c, written);
        written += c.length;
      });
      res.on('end', () => resolve(ok ? { written, headers: res.headers } : { written: 0, headers: res.headers, failed: { status, headers: res.headers, body: Buffer.concat(chunks) } }));
      res.on('error', (err) => reject(new RpcUnreachableError(address, err.message, { cause: err })));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new RpcUnreachableError(address, err.message, { cause: err })));
    req.end();
  });
}

/** Turns a non-2xx answer into RpcRemoteError. */
export function remoteError(address: string, what: string, res: BinaryResponse): RpcRemoteError {
  let parsed: RpcErrorBody | undefined;
  try {
    parsed = JSON.parse(res.body.toString('utf8')) as RpcErrorBody;
  } catch {
    parsed = undefined;
  }
  const e = parsed?.error;
  if (e && typeof e.code === 'string') {
    return new RpcRemoteError(address, what, res.status, isRpcErrorCode(e.code) ? e.code : 'Internal', e.message, e.leaderAddress);
  }
  // Not an RPC error body (a proxy, or not an engine at all): the status is all there is.
  const code = res.status === 401 ? 'Unauthorized' : res.status === 404 ? 'NotFound' : 'Internal';
  return new RpcRemoteError(address, what, res.status, code, `${what} on ${address}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
}

/** POST /rpc/<method> with a JSON body; resolves with the parsed JSON answer. */
export async function callRpc<Res>(address: string, method: string, req: unknown, opts: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.requestId) headers['x-request-id'] = opts.requestId;
  const res = await httpExchange(address, 'POST', `/rpc/${method}`, headers, Buffer.from(JSON.stringify(req ?? {})), opts);
  if (res.status !== 200) throw remoteError(address, method, res);
  return JSON.parse(res.body.toString('utf8')) as Res;
}

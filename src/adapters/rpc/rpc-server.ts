// One HTTP/1.1 keep-alive listener per engine process: JSON RPC under POST /rpc/<method>, raw routes
// (the worker's GET /blocks/...), GET /healthz and GET /metrics. See src/api/engine-rpc.ts for the contract.
// Every request other than GET /healthz and GET /metrics must carry the runtime's engine credential
// (`Authorization: Bearer <token>`); without it the answer is 401 before any route runs or any body
// is read, so no byte of data and no method name leaks.
import { NotLeaderError } from '../../core/raft/raft-errors.js';
import { isRpcErrorCode, rpcStatusForCode, type RpcErrorCode } from '../../api/engine-rpc-errors.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RpcErrorBody } from '../../api/engine-rpc.js';
import { FluidError } from '../../core/errors.js';
import type { EngineCredential } from './engine-credential.js';
import { MetricsRegistry } from './metrics.js';

/** Largest accepted JSON request body. */
const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

export interface RpcContext {
  /** The caller's `x-request-id`, if sent. */
  readonly requestId: string | undefined;
}

export type RpcHandler = (body: unknown, ctx: RpcContext) => Promise<unknown>;
export type RawHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface Health {
  readonly ok: boolean;
  /** Shown in the 503 body when not ok. */
  readonly reason: string;
}


export class RpcServer {
  readonly metrics = new MetricsRegistry();
  private readonly methods = new Map<string, RpcHandler>();
  private readonly raw: { method: string; prefix: string; handler: RawHandler }[] = [];
  private health: () => Health = () => ({ ok: false, reason: 'starting' });
  private readonly server: Server;
  private readonly requests = this.metrics.counter('fluid_rpc_requests_total', 'RPC requests served, by method and status.');

  private readonly unauthorized = this.metrics.counter('fluid_rpc_unauthorized_total', 'Requests refused for a missing or wrong engine credential.');

  /** `credential`: what every non-health request must present; also what this process's own peer calls send. */
  constructor(readonly credential: EngineCredential, private readonly onError: (msg: string, err: unknown) => void = () => undefined) {
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => { void this.dispatch(req, res); });
    this.server.headersTimeout = 66_000;
  }

  method(name: string, handler: RpcHandler): void {
    this.methods.set(name, handler);
  }

  route(method: string, prefix: string, handler: RawHandler): void {
    this.raw.push({ method, prefix, handler });
  }

  setHealth(fn: () => Health): void {
    this.health = fn;
  }

  /** Listens and resolves with the bound port (useful with port 0). */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => { this.server.off('error', reject); resolve(); });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    try {
      if (req.method === 'GET' && url.pathname === '/healthz') {
        const h = this.health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(h.ok ? 'ok\n' : `${h.reason}\n`);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(this.metrics.render());
        return;
      }
      if (!this.credential.accepts(headerValue(req, 'authorization'))) {
        this.unauthorized.inc(1);
        // The body is discarded unparsed, and the connection closes after the answer.
        req.resume();
        res.setHeader('connection', 'close');
        res.setHeader('www-authenticate', 'Bearer realm="fluid-engine"');
        sendError(res, 401, 'Unauthorized', 'missing or wrong engine credential: send "Authorization: Bearer <token>" with the token of this runtime (Secret <runtime>-engine-token)');
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/rpc/')) {
        await this.serveRpc(url.pathname.slice('/rpc/'.length), req, res);
        return;
      }
      const route = this.raw.find((r) => r.method === req.method && url.pathname.startsWith(r.prefix));
      if (route) {
        await route.handler(req, res, url);
        return;
      }
      sendError(res, 404, 'NotFound', `no route for ${req.method ?? ''} ${url.pathname}`);
    } catch (err) {
      this.onError(`request ${req.method ?? ''} ${url.pathname} failed`, err);
      if (!res.headersSent) sendFluidError(res, err);
      else res.destroy();
    }
  }

  private async serveRpc(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const handler = this.methods.get(name);
    if (!handler) {
      req.resume();
      this.requests.inc(1, { method: 'unknown', status: '404' });
      sendError(res, 404, 'NotFound', `unknown RPC method "${name}"`);
      return;
    }
    let body: unknown;
    try {
      const raw = await readBody(req, MAX_JSON_BODY_BYTES);
      body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch (err) {
      this.requests.inc(1, { method: name, status: '400' });
      sendError(res, 400, 'Invalid', `request body of ${name}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const requestId = headerValue(req, 'x-request-id');
    try {
      const result = await handler(body, { requestId });
      const json = JSON.stringify(result ?? {});
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
      this.requests.inc(1, { method: name, status: '200' });
    } catch (err) {
      const status = sendFluidError(res, err);
      this.requests.inc(1, { method: name, status: String(status) });
      if (status >= 500 && !(err instanceof FluidError && err.code === 'NotLeader')) this.onError(`RPC ${name} failed`, err);
    }
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new Error(`body larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function sendError(res: ServerResponse, status: number, code: RpcErrorCode, message: string, leaderAddress?: string): void {
  const body: RpcErrorBody = { error: { code, message, ...(leaderAddress ? { leaderAddress } : {}) } };
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/** Answers with the error's code and message; returns the status used. */
export function sendFluidError(res: ServerResponse, err: unknown): number {
  if (err instanceof FluidError) {
    const status = rpcStatusForCode(err.code);
    sendError(res, status, isRpcErrorCode(err.code) ? err.code : 'Internal', err.message, err instanceof NotLeaderError ? err.leaderAddress : undefined);
    return status;
  }
  sendError(res, 500, 'Internal', err instanceof Error ? err.message : String(err));
  return 500;
}

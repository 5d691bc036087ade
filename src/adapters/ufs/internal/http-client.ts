// Minimal HTTP(S) client for the WebUFS connector: keep-alive agents, a connect timeout, an idle
// timeout, AbortSignal, manual redirects and typed errors. Bodies are consumed by the caller.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { UfsUnavailableError } from '../../../core/ufs/ufs-errors.js';

export interface HttpClientOptions {
  /** Max time to establish a TCP connection, ms. */
  readonly connectTimeoutMs: number;
  /** Max socket inactivity (waiting for headers or body bytes), ms. */
  readonly idleTimeoutMs: number;
  /** Sockets per origin; sized for parallel range reads. */
  readonly maxSockets: number;
  /** Extra headers on every request (e.g. Authorization); never logged. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Final URL after redirects. */
  readonly url: URL;
  readonly body: IncomingMessage;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class HttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly opts: HttpClientOptions) {
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets, scheduling: 'lifo' as const };
    this.httpAgent = new http.Agent(agentOpts);
    this.httpsAgent = new https.Agent(agentOpts);
  }

  /**
   * Sends one request. With `followRedirects` (max 5 hops, same method and headers) the returned
   * response is the final one; otherwise a 3xx is returned as is. `ufsPath` names the path in
   * errors. Network failures and timeouts throw UfsUnavailableError; an abort throws the
   * signal's reason.
   */
  async request(
    method: 'GET' | 'HEAD',
    url: URL,
    ufsPath: string,
    opts: { headers?: Record<string, string>; followRedirects: boolean; signal?: AbortSignal | undefined },
  ): Promise<HttpResponse> {
    let current = url;
    for (let hop = 0; ; hop++) {
      const res = await this.once(method, current, ufsPath, opts.headers ?? {}, opts.signal);
      const location = res.headers.location;
      if (!opts.followRedirects || !REDIRECTS.has(res.status) || location === undefined) return res;
      res.body.resume();
      if (hop >= 5) throw new UfsUnavailableError(ufsPath, `too many HTTP redirects from ${redactedUrl(url)}`);
      const nextUrl = new URL(location, current);
      if (nextUrl.protocol !== 'http:' && nextUrl.protocol !== 'https:') {
        throw new UfsUnavailableError(ufsPath, `HTTP redirect to an unsupported URL scheme ${nextUrl.protocol}`);
      }
      current = nextUrl;
    }
  }

  private once(method: string, url: URL, ufsPath: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const isHttps = url.protocol === 'https:';
      const req = (isHttps ? https : http).request(url, {
        method,
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        headers: { ...this.opts.headers, ...headers },
        timeout: this.opts.idleTimeoutMs,
        signal,
      });
      let connectTimer: NodeJS.Timeout | undefined;
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => {
          req.destroy(Object.assign(new Error(`connect timeout after ${this.opts.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
        }, this.opts.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      req.on('timeout', () => {
        req.destroy(Object.assign(new Error(`no data for ${this.opts.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (err) => {
        clearTimeout(connectTimer);
        reject(mapNetError(ufsPath, url, err, signal));
      });
      req.on('response', (res) => {
        clearTimeout(connectTimer);
        // Errors after this point surface while the caller reads the body.
        res.on('error', () => undefined);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, url, body: res });
      });
      req.end();
    });
  }

  /** Reads the whole body (at most `limit` bytes, else UfsUnavailableError). */
  async readBody(res: HttpResponse, ufsPath: string, limit: number, signal?: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res.body) {
        const b = chunk as Buffer;
        total += b.length;
        if (total > limit) {
          res.body.destroy();
          throw new UfsUnavailableError(ufsPath, `HTTP response body larger than ${limit} bytes`);
        }
        chunks.push(b);
      }
    } catch (err) {
      throw mapNetError(ufsPath, res.url, err, signal);
    }
    return Buffer.concat(chunks, total);
  }

  /**
   * Copies the body into `target` from its start and resolves to the bytes copied. A body longer
   * than `target` is an error (UfsUnavailableError) and the response is destroyed.
   */
  async readBodyInto(res: HttpResponse, ufsPath: string, target: Uint8Array, signal?: AbortSignal): Promise<number> {
    let total = 0;
    try {
      for await (const chunk of res.body) {
        const b = chunk as Buffer;
        if (total + b.length > target.length) {
          res.body.destroy();
          throw new UfsUnavailableError(ufsPath, `HTTP response body larger than ${target.length} bytes`);
        }
        target.set(b, total);
        total += b.length;
      }
    } catch (err) {
      throw mapNetError(ufsPath, res.url, err, signal);
    }
    return total;
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** The URL without user-info, for messages. */
export function redactedUrl(url: URL): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

function mapNetError(ufsPath: string, url: URL, err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof UfsUnavailableError) return err;
  const e = err as NodeJS.ErrnoException;
  const what = e.code ?? e.message;
  return new UfsUnavailableError(ufsPath, `${what} (${url.protocol}//${url.host})`, { cause: err });
}

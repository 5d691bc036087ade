// http:// and https:// connector (WebUFS): directories are the server's autoindex pages, files
// are read with Range GETs over keep-alive sockets.
//
// Fingerprint contract: "etag:<ETag>" when the server sends an ETag, else "lm:<Last-Modified ms>-<size>",
// else "size:<size>". stat() and list() compute it from a HEAD; read() recomputes it from the
// GET's headers, so a file replaced between stat and read is detected (UfsChangedError).
import type { Ufs, UfsEntry, UfsPath } from '../../core/ufs/ufs.js';
import {
  UfsAccessDeniedError, UfsChangedError, UfsInvalidPathError, UfsNotFoundError, UfsSizeMismatchError, UfsUnavailableError,
} from '../../core/ufs/ufs-errors.js';
import { parseAutoindex } from '../../core/ufs/autoindex.js';
import { checkReadRange, joinUfsPath, normalizeUfsPath, ufsBaseName, ufsPathSegments } from '../../core/ufs/ufs-path.js';
import { HttpClient, redactedUrl, type HttpResponse } from './internal/http-client.js';
import { mapLimit } from './internal/map-limit.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './internal/retry.js';

export interface HttpUfsOptions {
  /** Directory URL (ends with "/"); user-info, if any, becomes Basic auth and is never logged. */
  readonly baseUrl: string;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  /** Parallel sockets per origin (default 32). */
  readonly maxSockets?: number;
  /** A server that ignores Range is tolerated only for files up to this size (default 8 MiB). */
  readonly maxUnrangedBytes?: number;
  readonly retry?: RetryPolicy;
}

/** Largest directory listing page accepted, bytes. */
const MAX_LISTING_BYTES = 32 * 1024 * 1024;
/** HEADs in flight while listing a directory. */
const LIST_STAT_CONCURRENCY = 8;

export class HttpUfs implements Ufs {
  private readonly base: URL;
  private readonly client: HttpClient;
  private readonly retry: RetryPolicy;
  private readonly maxUnranged: number;

  constructor(opts: HttpUfsOptions) {
    const base = new URL(opts.baseUrl);
    const headers: Record<string, string> = { 'user-agent': 'fluid-ts-webufs', 'accept-encoding': 'identity' };
    if (base.username || base.password) {
      const user = decodeURIComponent(base.username);
      const pass = decodeURIComponent(base.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      base.username = '';
      base.password = '';
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    this.client = new HttpClient({
      connectTimeoutMs: opts.connectTimeoutMs ?? 5_000,
      idleTimeoutMs: opts.idleTimeoutMs ?? 30_000,
      maxSockets: opts.maxSockets ?? 32,
      headers,
    });
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.maxUnranged = opts.maxUnrangedBytes ?? 8 * 1024 * 1024;
  }

  async list(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry[]> {
    const p = normalizeUfsPath(path);
    const { html, url } = await withRetry(async () => {
      const res = await this.client.request('GET', this.dirUrl(p), p, { followRedirects: true, signal });
      if (res.status !== 200) {
        res.body.resume();
        throw statusError(p, res);
      }
      const type = String(res.headers['content-type'] ?? '');
      if (type !== '' && !/html|xml/i.test(type)) {
        res.body.resume();
        throw new UfsInvalidPathError(p, `is not a directory (server answered ${type}, not an HTML listing)`);
      }
      const body = await this.client.readBody(res, p, MAX_LISTING_BYTES, signal);
      return { html: body.toString('utf8'), url: res.url };
    }, this.retry, signal);
    const listed = parseAutoindex(html, url.toString());
    const entries = await mapLimit(listed, LIST_STAT_CONCURRENCY, async (e): Promise<UfsEntry | undefined> => {
      if (e.kind === 'directory') {
        return { name: e.name, kind: 'directory', size: 0, mtimeMs: e.mtimeMs ?? 0, fingerprint: 'dir' };
      }
      try {
        // Always HEAD: the listing has no ETag and may round sizes and times.
        return await this.statFile(joinUfsPath(p, e.name), signal);
      } catch (err) {
        if (err instanceof UfsNotFoundError) return undefined; // removed since the listing
        throw err;
      }
    });
    return entries.filter((e): e is UfsEntry => e !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async stat(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry> {
    const p = normalizeUfsPath(path);
    if (p === '/') {
      await withRetry(async () => {
        const res = await this.client.request('HEAD', this.base, p, { followRedirects: true, signal });
        res.body.resume();
        if (res.status < 200 || res.status >= 300) throw statusError(p, res);
      }, this.retry, signal);
      return { name: '', kind: 'directory', size: 0, mtimeMs: 0, fingerprint: 'dir' };
    }
    return this.statFile(p, signal);
  }

  async read(path: UfsPath, offset: number, length: number, opts: { fingerprint?: string; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const p = normalizeUfsPath(path);
    checkReadRange(p, offset, length);
    if (length === 0) return new Uint8Array(0);
    return this.rangeRead(p, offset, length, undefined, opts);
  }

  async readInto(path: UfsPath, offset: number, target: Uint8Array, opts: { fingerprint?: string; signal?: AbortSignal; fileSize?: number } = {}): Promise<number> {
    const p = normalizeUfsPath(path);
    checkReadRange(p, offset, target.length);
    if (target.length === 0 && opts.fileSize === undefined) return 0;
    let total: number | undefined;
    const n = target.length === 0 ? 0 : (await this.rangeRead(p, offset, target.length, target, opts, (t) => { total = t; })).length;
    if (opts.fileSize !== undefined) {
      total ??= (await this.statFile(p, opts.signal)).size;
      if (total !== opts.fileSize) throw new UfsSizeMismatchError(p, opts.fileSize, total);
    }
    return n;
  }

  /**
   * One Range GET (with retries). With `target`, a 206 body is copied into it and the returned
   * array is the filled prefix of `target`; without, the body is returned as read.
   */
  private async rangeRead(p: UfsPath, offset: number, length: number, target: Uint8Array | undefined, opts: { fingerprint?: string; signal?: AbortSignal }, onTotal?: (size: number) => void): Promise<Uint8Array> {
    const { signal, fingerprint } = opts;
    return withRetry(async () => {
      const last = offset + length - 1;
      const res = await this.client.request('GET', this.fileUrl(p), p, {
        headers: { range: `bytes=${offset}-${last}` }, followRedirects: true, signal,
      });
      if (res.status === 416) {
        res.body.resume();
        return new Uint8Array(0); // offset at or past end of file
      }
      if (res.status === 206) {
        const cr = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
        const start = Number(cr?.[1]);
        const end = Number(cr?.[2]);
        if (!cr || start !== offset || end > last || end < start) {
          res.body.destroy();
          throw new UfsUnavailableError(p, `server answered a bad Content-Range ${JSON.stringify(res.headers['content-range'] ?? '')} for bytes=${offset}-${last}`, { retriable: false });
        }
        const total = cr[3] === '*' ? undefined : Number(cr[3]);
        this.checkFingerprint(p, res, total, fingerprint);
        if (total !== undefined) onTotal?.(total);
        const want = end - start + 1;
        if (target) {
          const n = await this.client.readBodyInto(res, p, target.subarray(0, want), signal);
          if (n !== want) throw new UfsUnavailableError(p, `short HTTP body: ${n} of ${want} bytes`);
          return target.subarray(0, n);
        }
        const body = await this.client.readBody(res, p, want, signal);
        if (body.length !== want) throw new UfsUnavailableError(p, `short HTTP body: ${body.length} of ${want} bytes`);
        return new Uint8Array(body.buffer, body.byteOffset, body.length);
      }
      if (res.status === 200) {
        // The server ignored Range: acceptable only for small files.
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (!Number.isFinite(declared) || declared > this.maxUnranged) {
          res.body.destroy();
          throw new UfsUnavailableError(p, `server ignored the Range header and the file is larger than ${this.maxUnranged} bytes (or of unknown size)`, { retriable: false });
        }
        this.checkFingerprint(p, res, declared, fingerprint);
        onTotal?.(declared);
        const body = await this.client.readBody(res, p, this.maxUnranged, signal);
        const slice = body.subarray(Math.min(offset, body.length), Math.min(offset + length, body.length));
        if (target) {
          target.set(slice);
          return target.subarray(0, slice.length);
        }
        return new Uint8Array(slice);
      }
      res.body.resume();
      throw statusError(p, res);
    }, this.retry, signal);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** HEADs a non-root path: a file entry, or a directory if the server redirects to "path/". */
  private async statFile(p: UfsPath, signal: AbortSignal | undefined): Promise<UfsEntry> {
    return withRetry(async () => {
      let url = this.fileUrl(p);
      for (let hop = 0; hop <= 5; hop++) {
        const res = await this.client.request('HEAD', url, p, { followRedirects: false, signal });
        res.body.resume();
        const location = res.headers.location;
        if (res.status >= 300 && res.status < 400 && location !== undefined) {
          const next = new URL(location, url);
          if (next.origin === url.origin && next.pathname === `${url.pathname}/`) {
            return { name: ufsBaseName(p), kind: 'directory', size: 0, mtimeMs: lastModified(res), fingerprint: 'dir' };
          }
          url = next;
          continue;
        }
        if (res.status === 404 || res.status === 410) {
          // Some servers answer 404 for "dir" and 200 for "dir/".
          const dirRes = await this.client.request('HEAD', this.dirUrl(p), p, { followRedirects: true, signal });
          dirRes.body.resume();
          if (dirRes.status === 200) return { name: ufsBaseName(p), kind: 'directory', size: 0, mtimeMs: 0, fingerprint: 'dir' };
          throw new UfsNotFoundError(p);
        }
        if (res.status !== 200) throw statusError(p, res);
        const size = Number(res.headers['content-length'] ?? NaN);
        if (!Number.isSafeInteger(size) || size < 0) {
          throw new UfsUnavailableError(p, 'server sent no Content-Length for HEAD, so the file size is unknown', { retriable: false });
        }
        return { name: ufsBaseName(p), kind: 'file', size, mtimeMs: lastModified(res), fingerprint: fingerprintOf(res, size) };
      }
      throw new UfsUnavailableError(p, `too many HTTP redirects from ${redactedUrl(this.fileUrl(p))}`);
    }, this.retry, signal);
  }

  private checkFingerprint(p: UfsPath, res: HttpResponse, size: number | undefined, expected: string | undefined): void {
    if (!expected) return; // "" = no check
    const actual = size === undefined ? undefined : fingerprintOf(res, size);
    const etag = res.headers.etag;
    // With an unknown total size only an ETag can be compared.
    if (actual !== undefined ? actual !== expected : etag !== undefined && `etag:${etag}` !== expected) {
      res.body.destroy();
      throw new UfsChangedError(p);
    }
  }

  private fileUrl(p: UfsPath): URL {
    return new URL(ufsPathSegments(p).map(encodeURIComponent).join('/'), this.base);
  }

  private dirUrl(p: UfsPath): URL {
    return p === '/' ? new URL(this.base) : new URL(`${ufsPathSegments(p).map(encodeURIComponent).join('/')}/`, this.base);
  }
}

function fingerprintOf(res: HttpResponse, size: number): string {
  const etag = res.headers.etag;
  if (etag) return `etag:${etag}`;
  const lm = lastModified(res);
  return lm ? `lm:${lm}-${size}` : `size:${size}`;
}

function lastModified(res: HttpResponse): number {
  const v = res.headers['last-modified'];
  const ms = v ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

function statusError(p: UfsPath, res: HttpResponse): Error {
  const s = res.status;
  if (s === 404 || s === 410) return new UfsNotFoundError(p);
  if (s === 401 || s === 403) return new UfsAccessDeniedError(p, `HTTP ${s} from ${redactedUrl(res.url)}`);
  return new UfsUnavailableError(p, `HTTP ${s} from ${redactedUrl(res.url)}`);
}

// s3://, s3a:// and oss:// connector over the S3 protocol (@aws-sdk/client-s3).
// Directories are "/"-delimited key prefixes (ListObjectsV2), files are objects (HeadObject,
// ranged GetObject). Fingerprint = "etag:<ETag>", the same string from list, stat and read.
// Retries are ours (withRetry), so the SDK runs with maxAttempts 1.
import {
  GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import type { UfsEntry, UfsPath, WritableUfs } from '../../core/ufs/ufs.js';
import {
  UfsAccessDeniedError, UfsChangedError, UfsInvalidPathError, UfsNotFoundError, UfsUnavailableError,
} from '../../core/ufs/ufs-errors.js';
import type { S3Settings } from '../../core/ufs/s3-options.js';
import { checkReadRange, normalizeUfsPath, ufsBaseName, ufsPathSegments } from '../../core/ufs/ufs-path.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './internal/retry.js';

export interface S3UfsOptions {
  readonly scheme: 's3' | 's3a' | 'oss';
  readonly bucket: string;
  /** "" or a key prefix ending with "/". */
  readonly prefix: string;
  readonly settings: S3Settings;
  readonly connectTimeoutMs?: number;
  /** Max socket inactivity, ms. */
  readonly idleTimeoutMs?: number;
  readonly maxSockets?: number;
  readonly retry?: RetryPolicy;
}

export class S3Ufs implements WritableUfs {
  private readonly client: S3Client;
  private readonly retry: RetryPolicy;
  private readonly bucket: string;
  private readonly prefix: string;
  /** Mount label for messages: scheme://bucket/prefix (no secrets). */
  private readonly label: string;
  private readonly credentialHint: string;
  /** Where requests go, for messages: the endpoint URL (never has credentials) and its option. */
  private readonly endpointHint: string;

  constructor(opts: S3UfsOptions) {
    const s = opts.settings;
    const maxSockets = opts.maxSockets ?? 32;
    this.client = new S3Client({
      region: s.region,
      forcePathStyle: s.forcePathStyle,
      maxAttempts: 1,
      ...(s.endpoint !== undefined ? { endpoint: s.endpoint } : {}),
      // No credentials in the mount => anonymous (unsigned) requests, for public buckets. The
      // SDK's default chain (env, ~/.aws, instance metadata) is deliberately not consulted.
      ...(s.credentials !== undefined
        ? { credentials: s.credentials }
        : { credentials: { accessKeyId: '', secretAccessKey: '' }, signer: { sign: <R>(request: R): Promise<R> => Promise.resolve(request) } }),
      requestHandler: {
        connectionTimeout: opts.connectTimeoutMs ?? 5_000,
        socketTimeout: opts.idleTimeoutMs ?? 30_000,
        httpAgent: { keepAlive: true, maxSockets },
        httpsAgent: { keepAlive: true, maxSockets },
      },
    });
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix;
    this.label = `${opts.scheme}://${opts.bucket}/${opts.prefix}`;
    this.endpointHint = s.endpoint !== undefined
      ? `endpoint ${s.endpoint} (option ${s.endpointOption ?? '?'})`
      : `AWS default endpoint for region ${s.region}`;
    this.credentialHint = s.credentialOptions !== undefined
      ? `check options ${s.credentialOptions}`
      : 'no credentials configured, requests are anonymous (set e.g. fs.s3a.access.key/fs.s3a.secret.key or fs.oss.accessKeyId/fs.oss.accessKeySecret)';
  }

  async list(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry[]> {
    const p = normalizeUfsPath(path);
    const dirPrefix = this.dirPrefix(p);
    const files = new Map<string, UfsEntry>();
    const dirs = new Map<string, UfsEntry>();
    let token: string | undefined;
    do {
      const input = { Bucket: this.bucket, Prefix: dirPrefix, Delimiter: '/', ...(token !== undefined ? { ContinuationToken: token } : {}) };
      const page: ListObjectsV2CommandOutput = await this.call(p, signal, () => this.client.send(new ListObjectsV2Command(input), { abortSignal: signal }));
      for (const o of page.Contents ?? []) {
        const name = (o.Key ?? '').slice(dirPrefix.length);
        if (name === '' || name.includes('/')) continue; // the directory's own marker object
        files.set(name, {
          name, kind: 'file', size: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() ?? 0, fingerprint: `etag:${o.ETag ?? ''}`,
        });
      }
      for (const cp of page.CommonPrefixes ?? []) {
        const name = (cp.Prefix ?? '').slice(dirPrefix.length, -1);
        if (name === '' || name.includes('/')) continue;
        dirs.set(name, { name, kind: 'directory', size: 0, mtimeMs: 0, fingerprint: 'dir' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    if (files.size === 0 && dirs.size === 0 && p !== '/') {
      // Empty prefix: either a plain object or nothing at all.
      const asFile = await this.headOrUndefined(p, signal);
      if (asFile) throw new UfsInvalidPathError(p, 'is not a directory');
      throw new UfsNotFoundError(this.describe(p));
    }
    // A key "x" and a prefix "x/" may coexist in S3; the directory wins.
    for (const name of dirs.keys()) files.delete(name);
    return [...files.values(), ...dirs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async stat(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry> {
    const p = normalizeUfsPath(path);
    const dirEntry: UfsEntry = { name: p === '/' ? '' : ufsBaseName(p), kind: 'directory', size: 0, mtimeMs: 0, fingerprint: 'dir' };
    const listInput = { Bucket: this.bucket, Prefix: this.dirPrefix(p), MaxKeys: 1 };
    const hasChildren = this.call(p, signal, () => this.client.send(new ListObjectsV2Command(listInput), { abortSignal: signal }))
      .then((page) => (page.KeyCount ?? 0) > 0);
    if (p === '/') {
      await hasChildren; // surfaces a missing bucket or refused credentials
      return dirEntry;
    }
    // Both requests in flight at once; as in list(), a non-empty "p/" prefix wins over a key "p"
    // (file-backed stores even fail HeadObject on such a key).
    const head = this.headOrUndefined(p, signal);
    head.catch(() => undefined);
    if (await hasChildren) return dirEntry;
    const file = await head;
    if (file) return file;
    throw new UfsNotFoundError(this.describe(p));
  }

  async read(path: UfsPath, offset: number, length: number, opts: { fingerprint?: string; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const p = normalizeUfsPath(path);
    checkReadRange(p, offset, length);
    if (length === 0) return new Uint8Array(0);
    const { signal, fingerprint } = opts;
    const last = offset + length - 1;
    return withRetry(async () => {
      let res;
      try {
        res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(p), Range: `bytes=${offset}-${last}` }), { abortSignal: signal });
      } catch (err) {
        if (errorName(err) === 'InvalidRange' || httpStatus(err) === 416) return new Uint8Array(0); // at or past EOF
        throw this.mapError(p, err, signal);
      }
      const body = res.Body;
      if (fingerprint && `etag:${res.ETag ?? ''}` !== fingerprint) {
        (body as { destroy?: () => void } | undefined)?.destroy?.();
        throw new UfsChangedError(this.describe(p));
      }
      const cr = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.ContentRange ?? '');
      if (cr && Number(cr[1]) !== offset) {
        (body as { destroy?: () => void } | undefined)?.destroy?.();
        throw new UfsUnavailableError(this.describe(p), `storage answered Content-Range ${res.ContentRange ?? ''} for bytes=${offset}-${last}`);
      }
      let bytes: Uint8Array;
      try {
        bytes = body ? await body.transformToByteArray() : new Uint8Array(0);
      } catch (err) {
        throw this.mapError(p, err, signal);
      }
      if (!cr) {
        // Whole object returned (no Range support): cut the slice out.
        return bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));
      }
      return bytes.length > length ? bytes.subarray(0, length) : bytes;
    }, this.retry, signal);
  }

  /** One PutObject of the whole file (objects are replaced atomically); retried like every call. */
  async writeFile(path: UfsPath, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const p = normalizeUfsPath(path);
    if (p === '/') throw new UfsInvalidPathError(p, 'is the mount root, not an object');
    await this.call(p, signal, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(p), Body: bytes, ContentLength: bytes.length }), { abortSignal: signal }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async headOrUndefined(p: UfsPath, signal: AbortSignal | undefined): Promise<UfsEntry | undefined> {
    try {
      const input = { Bucket: this.bucket, Key: this.key(p) };
      const h = await this.call(p, signal, () => this.client.send(new HeadObjectCommand(input), { abortSignal: signal }));
      return {
        name: ufsBaseName(p), kind: 'file', size: h.ContentLength ?? 0, mtimeMs: h.LastModified?.getTime() ?? 0, fingerprint: `etag:${h.ETag ?? ''}`,
      };
    } catch (err) {
      if (err instanceof UfsNotFoundError) return undefined;
      throw err;
    }
  }

  /** Sends one command with retries and error mapping. */
  private call<O>(p: UfsPath, signal: AbortSignal | undefined, send: () => Promise<O>): Promise<O> {
    return withRetry(async () => {
      try {
        return await send();
      } catch (err) {
        throw this.mapError(p, err, signal);
      }
    }, this.retry, signal);
  }

  private key(p: UfsPath): string {
    return this.prefix + ufsPathSegments(p).join('/');
  }

  private dirPrefix(p: UfsPath): string {
    return p === '/' ? this.prefix : `${this.key(p)}/`;
  }

  private describe(p: UfsPath): string {
    return `${this.label}${ufsPathSegments(p).join('/')}`;
  }

  /** Maps SDK and network errors; uses error names and status codes only, never SDK messages. */
  private mapError(p: UfsPath, err: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    if (err instanceof UfsNotFoundError || err instanceof UfsAccessDeniedError || err instanceof UfsUnavailableError) return err;
    const name = errorName(err);
    const status = httpStatus(err);
    const where = this.describe(p);
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || status === 404) {
      return new UfsNotFoundError(name === 'NoSuchBucket' ? `${where} (bucket ${this.bucket} does not exist)` : where, { cause: err });
    }
    if (['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'InvalidToken', 'ExpiredToken'].includes(name) || status === 403 || status === 401) {
      return new UfsAccessDeniedError(where, `${name || `HTTP ${status}`}; ${this.credentialHint}`, { cause: err });
    }
    const code = (err as { code?: unknown }).code;
    const detail = typeof code === 'string' ? code : name || (status ? `HTTP ${status}` : 'error');
    return new UfsUnavailableError(where, `${detail}; ${this.endpointHint}`, { cause: err });
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

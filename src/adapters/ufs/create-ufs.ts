// Factory: one Ufs per EngineMount, chosen by the mount point's scheme. This is the only entry the
// engine (master, worker, fuse) needs; it never sees which connector it got.
import type { EngineMount } from '../../api/engine-config.js';
import { parseMountPoint } from '../../core/ufs/mount-uri.js';
import type { Ufs, WritableUfs } from '../../core/ufs/ufs.js';
import { resolveS3Settings } from '../../core/ufs/s3-options.js';
import { UfsConfigError } from '../../core/ufs/ufs-errors.js';
import { readSecretFile } from './internal/read-secret.js';
import { DEFAULT_RETRY, type RetryPolicy } from './internal/retry.js';
import { HttpUfs } from './http-ufs.js';
import { LocalUfs } from './local-ufs.js';
import { S3Ufs } from './s3-ufs.js';

export interface CreateUfsOptions {
  /**
   * Reads one encryptOptionFiles entry (a 0600 file path) and returns the secret value.
   * Default: read the file as UTF-8 and drop one trailing newline.
   */
  readSecret?: (path: string) => string;
  /** Max time to open a connection, ms (default 5000). */
  connectTimeoutMs?: number;
  /** Max socket inactivity while waiting for headers or body bytes, ms (default 30000). */
  idleTimeoutMs?: number;
  /** Parallel sockets per storage endpoint (default 32). */
  maxSockets?: number;
  /** Attempts per operation for transient failures, first included (default 3). */
  attempts?: number;
}

/**
 * Builds the connector for `mount`. Throws UfsConfigError for an unknown scheme or unusable
 * options; the message names the option, never a secret value. Does no network I/O itself.
 */
export function createUfs(mount: EngineMount, opts: CreateUfsOptions = {}): Ufs {
  const target = parseMountPoint(mount.mountPoint);
  switch (target.scheme) {
    case 'local':
      return new LocalUfs(target.dir);
    case 'http':
    case 'https':
      return new HttpUfs({ baseUrl: target.baseUrl, ...tuning(opts) });
    case 's3':
    case 's3a':
    case 'oss': {
      const readSecret = opts.readSecret ?? readSecretFile;
      const files = mount.encryptOptionFiles ?? {};
      const settings = resolveS3Settings(target.scheme, {
        options: mount.options ?? {},
        secretNames: new Set(Object.keys(files)),
        secret: (name) => {
          const file = files[name];
          if (file === undefined) throw new UfsConfigError(`encryptOptions ${name}: no secret file`);
          return readSecret(file);
        },
      });
      return new S3Ufs({ scheme: target.scheme, bucket: target.bucket, prefix: target.prefix, settings, ...tuning(opts) });
    }
  }
}

function tuning(opts: CreateUfsOptions): { connectTimeoutMs?: number; idleTimeoutMs?: number; maxSockets?: number; retry?: RetryPolicy } {
  for (const key of ['connectTimeoutMs', 'idleTimeoutMs', 'maxSockets', 'attempts'] as const) {
    const v = opts[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new UfsConfigError(`${key}: expected a positive integer, got ${v}`);
  }
  return {
    ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
    ...(opts.maxSockets !== undefined ? { maxSockets: opts.maxSockets } : {}),
    ...(opts.attempts !== undefined ? { retry: { ...DEFAULT_RETRY, attempts: opts.attempts } } : {}),
  };
}

/** createUfs for a destination: local and S3-protocol connectors write; http(s) is read only (UfsConfigError). */
export function createWritableUfs(mount: EngineMount, opts: CreateUfsOptions = {}): WritableUfs {
  const ufs = createUfs(mount, opts);
  if (ufs instanceof LocalUfs || ufs instanceof S3Ufs) return ufs;
  void ufs.close();
  throw new UfsConfigError(`mountPoint: ${parseMountPoint(mount.mountPoint).scheme}:// storage is read only`);
}

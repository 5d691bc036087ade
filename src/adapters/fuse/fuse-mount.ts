// Mounting and unmounting through fuse-native (libfuse2). Options: read-only, kernel page cache
// kept across opens (kernel_cache: the data is immutable per fingerprint), 1 MiB max_read, long
// attr/entry timeouts and a large kernel read-ahead.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fuse from 'fuse-native';
import type { FuseOps } from 'fuse-native';
import { FluidError } from '../../core/errors.js';

export interface FuseMountOptions {
  /** Seconds the kernel may reuse attributes and directory entries. */
  readonly attrTimeoutSec: number;
  /** Largest single FUSE read in bytes. */
  readonly maxRead: number;
  /** Kernel read-ahead in bytes. */
  readonly maxReadahead: number;
  readonly fsname: string;
  /**
   * Optional synchronous read hook run before the `read` op: returns the bytes copied into `buf`
   * (0..len), or -1 to fall back to the asynchronous `read` op. Answered straight to libfuse,
   * skipping fuse-native's per-call wrapper (closures, argument arrays, process.nextTick), which
   * is a measurable share of a 128 KiB read (libfuse2 never asks for more per request).
   */
  readonly fastRead?: (fd: number, buf: Buffer, len: number, pos: number) => number;
  /** Called when fuse-native's internals do not allow `fastRead` (reads then all take the `read` op). */
  readonly onFastReadUnavailable?: () => void;
}

/** fuse-native's JS->native handler shape for `read` (see its index.js / fuse-native.c). */
type RawReadHandler = (nativeHandler: unknown, opCode: number, path: string, fd: number, buf: Buffer, len: number, offLow: number, offHigh: number) => unknown;
interface FuseNativeBinding {
  readonly op_read: number;
  /** (handler, result = bytes read or -errno, unused, the read buffer's ArrayBuffer, detached here). */
  fuse_native_signal_read(nativeHandler: unknown, res: number, unused: number, buf: ArrayBufferLike): void;
}

let binding: FuseNativeBinding | undefined;
/** The same native binding fuse-native loads (node-gyp-build resolves the one prebuild). */
function fuseBinding(): FuseNativeBinding {
  if (!binding) {
    const req = createRequire(import.meta.url);
    const pkg = req.resolve('fuse-native/package.json');
    const load = createRequire(pkg)('node-gyp-build') as (dir: string) => FuseNativeBinding;
    binding = load(pkg.slice(0, -'/package.json'.length));
  }
  return binding;
}

/**
 * Replaces fuse-native's read handler (before mount: the native side takes its handler references
 * then) with one that tries `fast` first and signals libfuse synchronously; other reads go to the
 * original handler unchanged. Returns false (nothing changed: every read takes the normal op) when
 * fuse-native's internals are not the expected shape.
 */
function installFastRead(fuse: Fuse, fast: NonNullable<FuseMountOptions['fastRead']>): boolean {
  let b: FuseNativeBinding;
  try {
    b = fuseBinding();
  } catch {
    return false;
  }
  const handlers = (fuse as unknown as { _handlers?: unknown[] })._handlers;
  const slow = handlers?.[b.op_read];
  if (!handlers || typeof slow !== 'function' || typeof b.fuse_native_signal_read !== 'function') return false;
  const slowRead = slow as RawReadHandler;
  const raw: RawReadHandler = function (this: unknown, nativeHandler, opCode, path, fd, buf, len, offLow, offHigh) {
    let n: number;
    try {
      n = fast(fd, buf, len, offLow + offHigh * 4294967296);
    } catch {
      n = -1; // the async op reports the failure (errno + log line); libfuse must always get an answer
    }
    if (n < 0) return slowRead.call(this, nativeHandler, opCode, path, fd, buf, len, offLow, offHigh);
    b.fuse_native_signal_read(nativeHandler, n, 0, buf.buffer);
    return undefined;
  };
  handlers[b.op_read] = raw;
  return true;
}

export class FuseMountError extends FluidError {
  constructor(readonly mountPath: string, detail: string, options?: { cause?: unknown }) {
    super('FuseMount', `cannot mount FUSE at ${mountPath}: ${detail}`, options);
  }
}

export interface MountedFuse {
  readonly mountPath: string;
  unmount(): Promise<void>;
}

/**
 * If `mountPath` is a dead FUSE mount (its process is gone: ENOTCONN "Transport endpoint is
 * not connected"), lazily unmounts it. Returns true when it did.
 */
export function clearDeadMount(mountPath: string): boolean {
  try {
    statSync(mountPath);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTCONN' && code !== 'ECONNABORTED') return false;
  }
  spawnSync('fusermount', ['-u', '-z', mountPath], { stdio: 'ignore' });
  spawnSync('umount', ['-l', mountPath], { stdio: 'ignore' });
  return true;
}

export async function mountFuse(mountPath: string, ops: FuseOps, opts: FuseMountOptions): Promise<MountedFuse> {
  clearDeadMount(mountPath);
  try {
    mkdirSync(mountPath, { recursive: true });
  } catch (err) {
    throw new FuseMountError(mountPath, `cannot create the directory: ${(err as Error).message}`, { cause: err });
  }
  // fuse-native only forwards a fixed set of -o options; libfuse2 parses the whole comma-separated
  // string, so options it does not name (ro, max_readahead) ride along after fsname.
  const fsname = `${opts.fsname.replace(/[^A-Za-z0-9_.:-]/g, '_')},ro,max_readahead=${opts.maxReadahead}`;
  const fuse = new Fuse(mountPath, ops, {
    force: true,
    mkdir: true,
    maxRead: opts.maxRead,
    kernelCache: true,
    attrTimeout: opts.attrTimeoutSec,
    entryTimeout: opts.attrTimeoutSec,
    fsname,
    subtype: 'fluid',
    allowOther: true,
    // Slow fills are bounded by the data path itself; do not let fuse-native answer EIO at 15 s.
    timeout: false,
  });
  if (opts.fastRead && !installFastRead(fuse, opts.fastRead)) opts.onFastReadUnavailable?.();
  await new Promise<void>((resolve, reject) => {
    fuse.mount((err) => (err ? reject(new FuseMountError(mountPath, err.message, { cause: err })) : resolve()));
  });
  let unmounted = false;
  return {
    mountPath,
    async unmount() {
      if (unmounted) return;
      unmounted = true;
      await new Promise<void>((resolve) => {
        fuse.unmount((err) => {
          if (err) {
            // Busy (a process still has a file open): detach lazily so the process can exit.
            spawnSync('fusermount', ['-u', '-z', mountPath], { stdio: 'ignore' });
          }
          resolve();
        });
      });
    },
  };
}

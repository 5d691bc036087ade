// Mounting and unmounting through fuse-native (libfuse2). Options: read-only, kernel page cache
// kept across opens (kernel_cache: the data is immutable per fingerprint), 1 MiB max_read, long
// attr/entry timeouts and a large kernel read-ahead.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
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

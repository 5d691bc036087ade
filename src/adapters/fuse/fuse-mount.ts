// Mounting and unmounting through fluid-ts's libfuse3 binding. Options: read-only, kernel page cache
// kept across opens (the data is immutable per fingerprint), max_read (1 MiB: libfuse3 negotiates
// FUSE_MAX_PAGES), attr/entry timeouts, and the kernel read-ahead of the mount's backing device
// raised to `maxReadahead` (the kernel otherwise keeps FUSE mounts at 128 KiB, which also caps
// each read request at 128 KiB).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { FluidError } from '../../core/errors.js';
import type { FuseOps } from './fuse-ops.js';
import { fuse3Binding, NativeOp, type Fuse3Binding, type NativeDispatch, type NativeMount } from './fuse3-binding.js';

export interface FuseMountOptions {
  /** Seconds the kernel may reuse attributes and directory entries. */
  readonly attrTimeoutSec: number;
  /** Largest single FUSE read in bytes. */
  readonly maxRead: number;
  /** Kernel read-ahead in bytes. */
  readonly maxReadahead: number;
  readonly fsname: string;
  /** libfuse worker threads (each can wait on one JavaScript answer). */
  readonly maxThreads?: number;
  /** Called with a line worth logging (e.g. the read-ahead could not be raised). */
  readonly log?: (line: string) => void;
}

export class FuseMountError extends FluidError {
  constructor(readonly mountPath: string, detail: string, options?: { cause?: unknown }) {
    super('FuseMount', `cannot mount FUSE at ${mountPath}: ${detail}`, options);
  }
}

export interface NativeReadStats {
  /** Reads served natively from mapped block files (no JavaScript involved). */
  readonly fastReads: number;
  readonly fastBytes: number;
  /** Reads answered by the JavaScript read op. */
  readonly slowReads: number;
  readonly slowBytes: number;
  /** Largest read request the kernel sent. */
  readonly maxRequestBytes: number;
  /** Block-file descriptors the native side holds for open handles (bounded by half the fd limit). */
  readonly mappedFds: number;
  /** Opens answered (all natively: no open reaches JavaScript). */
  readonly opens: number;
}

export interface MountedFuse {
  readonly mountPath: string;
  /**
   * Lets the native side serve later reads of block `blockIndex` of open handle `fh` straight from
   * `fd` (a block file on this host; duplicated, so the caller may close its own). False when the
   * handle's layout does not match or the block is mapped already.
   */
  mapBlock(fh: number, fileSize: number, blockSize: number, blockIndex: number, fd: number): boolean;
  readStats(): NativeReadStats;
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
  spawnSync('fusermount3', ['-u', '-z', mountPath], { stdio: 'ignore' });
  spawnSync('umount', ['-l', mountPath], { stdio: 'ignore' });
  return true;
}

/** The "major:minor" device of the newest mount at `mountPath` (from /proc/self/mountinfo). */
function mountDevice(mountPath: string): string | undefined {
  let dev: string | undefined;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[4] === mountPath && f[2]) dev = f[2];
  }
  return dev;
}

const FUSECTL = '/sys/fs/fuse/connections';

/** Aborts FUSE connection `id` through fusectl (mounting fusectl first if needed); best effort. */
function abortConnection(id: string, log?: (line: string) => void): void {
  const abort = `${FUSECTL}/${id}/abort`;
  if (!existsSync(abort)) spawnSync('mount', ['-t', 'fusectl', 'fusectl', FUSECTL], { stdio: 'ignore' });
  try {
    writeFileSync(abort, '1');
  } catch (err) {
    log?.(`fuse: cannot abort FUSE connection ${id} (${(err as Error).message}); it ends when the last open file is closed`);
  }
}

function toDispatch(ops: FuseOps, b: Fuse3Binding): NativeDispatch {
  return (op, req, path, fh, arg, offset, sequential) => {
    let answered = false;
    const reply = (result: number, extra?: readonly number[] | readonly string[]): void => {
      if (answered) return;
      answered = true;
      b.reply(req, result, extra);
    };
    try {
      dispatchOne(ops, op, path, fh, arg, offset, sequential, reply);
    } catch {
      reply(-5); // EIO: libfuse must always get an answer
    }
  };
}

function dispatchOne(
  ops: FuseOps, op: NativeOp, path: string, fh: number, arg: Buffer | undefined, offset: number | undefined,
  sequential: boolean | undefined, reply: (result: number, extra?: readonly number[] | readonly string[]) => void,
): void {
  switch (op) {
    case NativeOp.Getattr:
      ops.getattr(path, (err, st) => {
        if (err !== 0 || !st) reply(err || -5);
        else reply(0, [st.mode, st.size, st.mtimeMs, st.nlink, st.uid, st.gid, st.blksize]);
      });
      return;
    case NativeOp.Readdir:
      ops.readdir(path, (err, names) => reply(err, err === 0 ? names ?? [] : undefined));
      return;
    case NativeOp.Read:
      if (!Buffer.isBuffer(arg)) {
        reply(-5);
        return;
      }
      ops.read(path, fh, arg, offset ?? 0, sequential === true, (n) => reply(n));
      return;
    case NativeOp.Release:
      ops.release(path, fh, (err) => reply(err));
      return;
    case NativeOp.Statfs:
      ops.statfs(path, (err, s) => {
        if (err !== 0 || !s) reply(err || -5);
        else reply(0, [s.bsize, s.frsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, s.favail, s.flag, s.namemax]);
      });
      return;
    default:
      reply(-38); // ENOSYS
  }
}

export async function mountFuse(mountPath: string, ops: FuseOps, opts: FuseMountOptions): Promise<MountedFuse> {
  clearDeadMount(mountPath);
  try {
    mkdirSync(mountPath, { recursive: true });
  } catch (err) {
    throw new FuseMountError(mountPath, `cannot create the directory: ${(err as Error).message}`, { cause: err });
  }
  let b: Fuse3Binding;
  try {
    b = fuse3Binding();
  } catch (err) {
    throw new FuseMountError(mountPath, (err as Error).message, { cause: err });
  }
  const fsname = opts.fsname.replace(/[^A-Za-z0-9_.:-]/g, '_');
  const options = `ro,allow_other,default_permissions,fsname=${fsname},subtype=fluid,max_read=${opts.maxRead}`;
  let handle: NativeMount;
  try {
    handle = b.mount(mountPath, options, {
      attrTimeoutSec: opts.attrTimeoutSec,
      entryTimeoutSec: opts.attrTimeoutSec,
      maxRead: opts.maxRead,
      maxReadahead: opts.maxReadahead,
      maxBackground: 32,
      maxThreads: opts.maxThreads ?? 16,
    }, toDispatch(ops, b));
  } catch (err) {
    throw new FuseMountError(mountPath, (err as Error).message, { cause: err });
  }
  const dev = mountDevice(mountPath);
  if (dev && opts.maxReadahead > 0) {
    try {
      writeFileSync(`/sys/class/bdi/${dev}/read_ahead_kb`, String(Math.ceil(opts.maxReadahead / 1024)));
    } catch (err) {
      opts.log?.(`fuse: cannot raise the read-ahead of ${mountPath} (bdi ${dev}) to ${opts.maxReadahead} bytes, reads stay at 128 KiB per request: ${(err as Error).message}`);
    }
  }
  let unmounted: Promise<void> | undefined;
  const unmountOnce = async (): Promise<void> => {
    const joined = await new Promise<boolean>((resolve) => b.unmount(handle, 3_000, resolve));
    if (joined) return;
    // A process still holds a file open and keeps the detached mount busy: abort the connection
    // (its reads then fail with ENOTCONN), which ends libfuse's loop.
    if (dev) abortConnection(dev.split(':')[1] ?? '', opts.log);
    // Without fusectl the loop ends when the last file is closed, or when this process exits.
    await new Promise<boolean>((resolve) => b.unmount(handle, 5_000, resolve));
  };
  return {
    mountPath,
    mapBlock: (fh, fileSize, blockSize, blockIndex, fd) => !unmounted && b.mapBlock(handle, fh, fileSize, blockSize, blockIndex, fd),
    readStats: () => {
      const [fastReads, fastBytes, slowReads, slowBytes, maxRequestBytes, mappedFds, opens] = b.stats(handle);
      return { fastReads, fastBytes, slowReads, slowBytes, maxRequestBytes, mappedFds, opens };
    },
    unmount() {
      unmounted ??= unmountOnce();
      return unmounted;
    },
  };
}

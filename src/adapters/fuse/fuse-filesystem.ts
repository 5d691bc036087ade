// The FUSE operation table of the dataset mount: a read-only view whose root holds one directory
// per dataset mount. Metadata comes from a NamespaceSource (cached for `attrTtlMs`); bytes come
// from a DataPath one block slice at a time, with sequential read-ahead per open file.
// Errors: a missing path is ENOENT, writes of any kind are EROFS, every other failure is EIO and
// is logged once with the mount name and UFS path (never a URI option or a secret).
import Fuse from 'fuse-native';
import type { FuseOps, FuseStat, FuseStatfs } from 'fuse-native';
import { planRead } from '../../core/fuse/block-math.js';
import { resolveDatasetPath, type DatasetPath } from '../../core/fuse/dataset-path.js';
import { ReadaheadWindow, type ReadaheadOptions } from '../../core/fuse/readahead-window.js';
import { TtlCache } from '../../core/fuse/ttl-cache.js';
import { FluidError } from '../../core/errors.js';
import { UfsNotFoundError } from '../../core/ufs/ufs-errors.js';
import type { UfsEntry } from '../../core/ufs/ufs.js';
import type { DataPath, FileRef } from './data-path.js';
import type { FuseMetrics } from './fuse-metrics.js';
import type { NamespaceSource } from './namespace-source.js';

export interface FuseFilesystemOptions {
  readonly mountNames: readonly string[];
  readonly namespace: NamespaceSource;
  readonly data: DataPath;
  readonly metrics: FuseMetrics;
  /** How long stat/list results are reused, in ms. */
  readonly attrTtlMs: number;
  readonly readahead: ReadaheadOptions;
  /** Called once per failed operation with a secret-free line. */
  readonly log: (line: string) => void;
  /** Dataset totals for statfs (bytes); undefined when unknown. */
  readonly capacity?: () => { totalBytes: number; usedBytes: number } | undefined;
  /** Wall clock in ms (the adapter's only clock). */
  readonly now?: () => number;
}

interface OpenFile {
  readonly file: FileRef;
  readonly readahead: ReadaheadWindow;
}

const O_ACCMODE = 3;
const O_RDONLY = 0;
const DIR_MODE = 0o040555;
const FILE_MODE = 0o100444;

export class FuseFilesystem {
  private readonly mountNames: ReadonlySet<string>;
  private readonly stats: TtlCache<string, UfsEntry>;
  private readonly lists: TtlCache<string, UfsEntry[]>;
  private readonly open = new Map<number, OpenFile>();
  private nextFd = 1;
  private readonly now: () => number;
  private readonly uid = process.getuid?.() ?? 0;
  private readonly gid = process.getgid?.() ?? 0;
  private readonly startedAt = new Date();

  constructor(private readonly opts: FuseFilesystemOptions) {
    this.mountNames = new Set(opts.mountNames);
    this.stats = new TtlCache(opts.attrTtlMs, 100_000);
    this.lists = new TtlCache(opts.attrTtlMs, 10_000);
    this.now = opts.now ?? Date.now;
  }

  /** Files currently open through the mount. */
  get openFiles(): number {
    return this.open.size;
  }

  ops(): FuseOps {
    const erofs = (cb: (err: number) => void): void => cb(Fuse.EROFS);
    return {
      getattr: (path, cb) => { this.getattr(path).then((st) => cb(0, st), (err: unknown) => cb(this.errno('getattr', path, err))); },
      fgetattr: (path, _fd, cb) => { this.getattr(path).then((st) => cb(0, st), (err: unknown) => cb(this.errno('getattr', path, err))); },
      readdir: (path, cb) => { this.readdir(path).then((names) => cb(0, names), (err: unknown) => cb(this.errno('readdir', path, err))); },
      open: (path, flags, cb) => { this.openFile(path, flags).then((fd) => cb(0, fd), (err: unknown) => cb(this.errno('open', path, err))); },
      release: (_path, fd, cb) => { this.open.delete(fd); cb(0); },
      read: (path, fd, buf, len, pos, cb) => {
        const n = this.readFast(fd, buf, len, pos);
        if (n >= 0) {
          cb(n);
          return;
        }
        this.read(fd, buf, len, pos).then(cb, (err: unknown) => {
          this.opts.metrics.readErrors += 1;
          cb(this.errno('read', path, err));
        });
      },
      statfs: (_path, cb) => cb(0, this.statfs()),
      access: (_path, mode, cb) => cb((mode & 2) !== 0 ? Fuse.EROFS : 0),
      write: (_p, _fd, _b, _l, _pos, cb) => cb(Fuse.EROFS),
      create: (_p, _m, cb) => cb(Fuse.EROFS),
      truncate: (_p, _s, cb) => erofs(cb),
      ftruncate: (_p, _fd, _s, cb) => erofs(cb),
      unlink: (_p, cb) => erofs(cb),
      rename: (_s, _d, cb) => erofs(cb),
      link: (_s, _d, cb) => erofs(cb),
      symlink: (_s, _d, cb) => erofs(cb),
      mkdir: (_p, _m, cb) => erofs(cb),
      rmdir: (_p, cb) => erofs(cb),
      chmod: (_p, _m, cb) => erofs(cb),
      chown: (_p, _u, _g, cb) => erofs(cb),
      utimens: (_p, _a, _m, cb) => erofs(cb),
      mknod: (_p, _m, _d, cb) => erofs(cb),
      setxattr: (_p, _n, _v, _pos, _f, cb) => erofs(cb),
      removexattr: (_p, _n, cb) => erofs(cb),
    };
  }

  private resolve(path: string): DatasetPath {
    const r = resolveDatasetPath(path, this.mountNames);
    if (!r) throw new UfsNotFoundError(path);
    return r;
  }

  private async entry(mount: string, ufsPath: string): Promise<UfsEntry> {
    const key = `${mount}\0${ufsPath}`;
    const now = this.now();
    const hit = this.stats.get(key, now);
    if (hit) return hit;
    const e = await this.opts.namespace.stat(mount, ufsPath);
    this.stats.set(key, e, now);
    return e;
  }

  private async getattr(path: string): Promise<FuseStat> {
    const r = this.resolve(path);
    if (r.kind === 'root' || r.ufsPath === '/') return this.toStat(undefined);
    return this.toStat(await this.entry(r.mount, r.ufsPath));
  }

  private async readdir(path: string): Promise<string[]> {
    const r = this.resolve(path);
    if (r.kind === 'root') return [...this.mountNames];
    const key = `${r.mount}\0${r.ufsPath}`;
    const now = this.now();
    let entries = this.lists.get(key, now);
    if (!entries) {
      entries = await this.opts.namespace.list(r.mount, r.ufsPath);
      this.lists.set(key, entries, now);
      // Listing results double as stat results for the children (saves a round trip per file).
      const base = r.ufsPath === '/' ? '' : r.ufsPath;
      for (const e of entries) this.stats.set(`${r.mount}\0${base}/${e.name}`, e, now);
    }
    return entries.map((e) => e.name);
  }

  private async openFile(path: string, flags: number): Promise<number> {
    if ((flags & O_ACCMODE) !== O_RDONLY) return Promise.reject(new ReadOnlyError());
    const r = this.resolve(path);
    if (r.kind === 'root' || r.ufsPath === '/') return Promise.reject(new IsDirectoryError());
    const e = await this.entry(r.mount, r.ufsPath);
    if (e.kind !== 'file') throw new IsDirectoryError();
    const file = await this.opts.data.openFile(r.mount, r.ufsPath, e);
    const fd = this.nextFd++;
    this.open.set(fd, { file, readahead: new ReadaheadWindow(file.size, file.blockSize, this.opts.readahead) });
    return fd;
  }

  /**
   * Warm-read hot path without promises or per-read arrays: bytes copied into `buf`, or -1 when
   * the asynchronous path is needed (unknown handle, a read spanning two blocks, block not open).
   */
  readFast(fd: number, buf: Buffer, len: number, pos: number): number {
    const of = this.open.get(fd);
    const data = this.opts.data;
    if (!of || !data.tryReadSliceSync) return -1;
    const size = of.file.size;
    if (pos >= size || len <= 0) return 0;
    const end = Math.min(pos + len, size);
    const bs = of.file.blockSize;
    const block = Math.floor(pos / bs);
    // Only single-slice reads: a partial multi-slice copy would have to be redone anyway.
    if (Math.floor((end - 1) / bs) !== block) return -1;
    const slice = { block, offsetInBlock: pos - block * bs, length: end - pos, targetOffset: 0 };
    if (!data.tryReadSliceSync(of.file, slice, buf)) return -1;
    const prefetch = of.readahead.onRead(pos, len);
    if (prefetch.length > 0) data.prefetch(of.file, prefetch);
    return slice.length;
  }

  private async read(fd: number, buf: Buffer, len: number, pos: number): Promise<number> {
    const of = this.open.get(fd);
    if (!of) throw new BadHandleError();
    const slices = planRead(pos, len, of.file.size, of.file.blockSize);
    const prefetch = of.readahead.onRead(pos, len);
    if (prefetch.length > 0) this.opts.data.prefetch(of.file, prefetch);
    await Promise.all(slices.map((s) => this.opts.data.readSlice(of.file, s, buf)));
    return slices.reduce((n, s) => n + s.length, 0);
  }

  private statfs(): FuseStatfs {
    const bsize = 4096;
    const cap = this.opts.capacity?.();
    const total = cap ? Math.ceil(cap.totalBytes / bsize) : 0;
    const used = cap ? Math.ceil(cap.usedBytes / bsize) : 0;
    return {
      bsize, frsize: bsize, blocks: total, bfree: Math.max(0, total - used), bavail: Math.max(0, total - used),
      files: 0, ffree: 0, favail: 0, fsid: 0, flag: 1 /* ST_RDONLY */, namemax: 255,
    };
  }

  private toStat(e: UfsEntry | undefined): FuseStat {
    const t = e && e.mtimeMs > 0 ? new Date(e.mtimeMs) : this.startedAt;
    const isDir = !e || e.kind === 'directory';
    const size = isDir ? 4096 : e.size;
    return {
      mtime: t, atime: t, ctime: t, size, mode: isDir ? DIR_MODE : FILE_MODE, uid: this.uid, gid: this.gid,
      nlink: isDir ? 2 : 1, blksize: 1 << 20, blocks: Math.ceil(size / 512),
    };
  }

  private errno(op: string, path: string, err: unknown): number {
    if (err instanceof UfsNotFoundError) return Fuse.ENOENT;
    if (err instanceof ReadOnlyError) return Fuse.EROFS;
    if (err instanceof IsDirectoryError) return Fuse.EISDIR;
    if (err instanceof BadHandleError) return Fuse.EBADF;
    const r = resolveDatasetPath(path, this.mountNames);
    const where = r?.kind === 'mount' ? `mount ${r.mount} ufs path ${r.ufsPath}` : path;
    this.opts.log(`fuse ${op} failed (EIO) for ${where}: ${err instanceof Error ? err.message : String(err)}`);
    return Fuse.EIO;
  }
}

/** A write was attempted on the read-only mount (EROFS). */
class ReadOnlyError extends FluidError {
  constructor() { super('ReadOnly', 'the dataset mount is read-only'); }
}
/** A directory was opened as a file (EISDIR). */
class IsDirectoryError extends FluidError {
  constructor() { super('IsDirectory', 'is a directory'); }
}
/** A read named a handle that is not open (EBADF). */
class BadHandleError extends FluidError {
  constructor() { super('BadHandle', 'file handle is not open'); }
}

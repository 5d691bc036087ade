// The FUSE operation table of the dataset mount: a read-only view whose root holds one directory
// per dataset mount. Metadata comes from a NamespaceSource (cached for `attrTtlMs`); bytes come
// from a DataPath one block slice at a time, with sequential read-ahead per open file.
// Errors: a missing path is ENOENT, writes of any kind are EROFS, every other failure is EIO and
// is logged once with the mount name and UFS path (never a URI option or a secret).
import { constants } from 'node:os';
import { planRead } from '../../core/fuse/block-math.js';
import { DatasetLayout, type DatasetPath, type MountPlacement } from '../../core/fuse/dataset-path.js';
import { ReadaheadWindow, type ReadaheadOptions } from '../../core/fuse/readahead-window.js';
import { TtlCache } from '../../core/fuse/ttl-cache.js';
import { FluidError } from '../../core/errors.js';
import { UfsNotFoundError } from '../../core/ufs/ufs-errors.js';
import type { UfsEntry } from '../../core/ufs/ufs.js';
import type { DataPath, FileRef } from './data-path.js';
import type { FuseMetrics } from './fuse-metrics.js';
import type { FuseOps, FuseStat, FuseStatfs } from './fuse-ops.js';
import type { NamespaceSource } from './namespace-source.js';

export interface FuseFilesystemOptions {
  /** The mounts and where each appears in the dataset tree (Dataset spec.mounts[].path). */
  readonly mounts: readonly MountPlacement[];
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

/** Where blocks read by short-circuit are handed to the native read path (the mount). */
export interface NativeBlockMap {
  mapBlock(fh: number, fileSize: number, blockSize: number, blockIndex: number, fd: number): boolean;
}

const E = constants.errno;

interface OpenFile {
  readonly file: FileRef;
  readonly readahead: ReadaheadWindow;
  /** Blocks already handed to the native read path for this handle. */
  readonly mapped: Set<number>;
}

const DIR_MODE = 0o040555;
const FILE_MODE = 0o100444;

export class FuseFilesystem {
  private readonly layout: DatasetLayout;
  private readonly stats: TtlCache<string, UfsEntry>;
  private readonly lists: TtlCache<string, UfsEntry[]>;
  /** Directories listed before (mount\0path): their expired children are refreshed by listing them again. */
  private readonly listedDirs = new Set<string>();
  private readonly listing = new Map<string, Promise<UfsEntry[]>>();
  /** Handles (numbered by the native side) this class has seen a read of. */
  private readonly open = new Map<number, OpenFile>();
  /** Handles whose first read is opening the file (concurrent first reads share it). */
  private readonly opening = new Map<number, Promise<OpenFile>>();
  private readonly now: () => number;
  private readonly uid = process.getuid?.() ?? 0;
  private readonly gid = process.getgid?.() ?? 0;
  private readonly startedAtMs = Date.now();
  private native: NativeBlockMap | undefined;

  constructor(private readonly opts: FuseFilesystemOptions) {
    this.layout = new DatasetLayout(opts.mounts);
    this.stats = new TtlCache(opts.attrTtlMs, 100_000);
    this.lists = new TtlCache(opts.attrTtlMs, 10_000);
    this.now = opts.now ?? Date.now;
  }

  /** Files currently open through the mount. */
  get openFiles(): number {
    return this.open.size;
  }

  /** Set once mounted: blocks at hand locally are then read natively, without this class. */
  bindNative(map: NativeBlockMap): void {
    this.native = map;
  }

  ops(): FuseOps {
    return {
      getattr: (path, cb) => { this.getattr(path).then((st) => cb(0, st), (err: unknown) => cb(this.errno('getattr', path, err))); },
      readdir: (path, cb) => { this.readdir(path).then((names) => cb(0, names), (err: unknown) => cb(this.errno('readdir', path, err))); },
      release: (_path, fd, cb) => { this.open.delete(fd); this.opening.delete(fd); cb(0); },
      read: (path, fd, buf, pos, sequential, cb) => {
        this.read(path, fd, buf, pos, sequential).then(cb, (err: unknown) => {
          this.opts.metrics.readErrors += 1;
          cb(this.errno('read', path, err));
        });
      },
      statfs: (_path, cb) => cb(0, this.statfs()),
    };
  }

  private resolve(path: string): DatasetPath {
    const r = this.layout.resolve(path);
    if (!r) throw new UfsNotFoundError(path);
    return r;
  }

  private async entry(mount: string, ufsPath: string): Promise<UfsEntry> {
    const key = `${mount}\0${ufsPath}`;
    const hit = this.stats.get(key, this.now());
    if (hit) return hit;
    // An expired child of a directory listed before: one listing refreshes all its siblings
    // (the kernel revalidates every file of a directory once the attr timeout has passed).
    const slash = ufsPath.lastIndexOf('/');
    const parent = slash > 0 ? ufsPath.slice(0, slash) : '/';
    if (this.listedDirs.has(`${mount}\0${parent}`)) {
      try {
        await this.list(mount, parent);
      } catch {
        // The stat below answers (or fails) for this path alone.
      }
      const fresh = this.stats.get(key, this.now());
      if (fresh) return fresh;
    }
    const e = await this.opts.namespace.stat(mount, ufsPath);
    this.stats.set(key, e, this.now());
    return e;
  }

  /** A directory's entries (cached), which also become its children's stat results. */
  private list(mount: string, ufsPath: string): Promise<UfsEntry[]> {
    const key = `${mount}\0${ufsPath}`;
    const cached = this.lists.get(key, this.now());
    if (cached) return Promise.resolve(cached);
    let p = this.listing.get(key);
    if (!p) {
      p = this.opts.namespace.list(mount, ufsPath).then((entries) => {
        const now = this.now();
        this.lists.set(key, entries, now);
        // Bounded like the listing cache; forgetting a directory only costs stats one by one.
        if (this.listedDirs.size >= 10_000) this.listedDirs.clear();
        this.listedDirs.add(key);
        const base = ufsPath === '/' ? '' : ufsPath;
        for (const e of entries) this.stats.set(`${mount}\0${base}/${e.name}`, e, now);
        return entries;
      }).finally(() => this.listing.delete(key));
      this.listing.set(key, p);
    }
    return p;
  }

  private async getattr(path: string): Promise<FuseStat> {
    const r = this.resolve(path);
    if (r.kind === 'root' || r.ufsPath === '/') return this.toStat(undefined);
    return this.toStat(await this.entry(r.mount, r.ufsPath));
  }

  private async readdir(path: string): Promise<string[]> {
    const r = this.resolve(path);
    if (r.kind === 'root') return this.layout.rootEntries();
    return (await this.list(r.mount, r.ufsPath)).map((e) => e.name);
  }

  /** The open state of handle `fd`, opening `path` for it on its first read. */
  private handle(path: string, fd: number): OpenFile | Promise<OpenFile> {
    const of = this.open.get(fd);
    if (of) return of;
    let p = this.opening.get(fd);
    if (!p) {
      p = this.openFile(path, fd);
      this.opening.set(fd, p);
      const done = (): void => { if (this.opening.get(fd) === p) this.opening.delete(fd); };
      p.then(done, done);
    }
    return p;
  }

  private async openFile(path: string, fd: number): Promise<OpenFile> {
    const r = this.resolve(path);
    if (r.kind === 'root' || r.ufsPath === '/') throw new IsDirectoryError();
    const e = await this.entry(r.mount, r.ufsPath);
    if (e.kind !== 'file') throw new IsDirectoryError();
    const file = await this.opts.data.openFile(r.mount, r.ufsPath, e);
    const of: OpenFile = { file, readahead: new ReadaheadWindow(file.size, file.blockSize, this.opts.readahead), mapped: new Set() };
    this.open.set(fd, of);
    // Blocks already open locally are read natively from the next request on.
    const blocks = Math.ceil(file.size / file.blockSize);
    for (let b = 0; b < blocks; b++) this.mapLocal(fd, of, b);
    return of;
  }

  /**
   * Fills `buf` from `pos` (the request size is buf.length). `sequential` comes from the native
   * side, which also sees the reads it serves itself. Afterwards every block of this read that is
   * open locally is handed to the native read path for this handle.
   */
  private async read(path: string, fd: number, buf: Buffer, pos: number, sequential: boolean): Promise<number> {
    const of = await this.handle(path, fd);
    const len = buf.length;
    const slices = planRead(pos, len, of.file.size, of.file.blockSize);
    const prefetch = of.readahead.onRead(pos, len, sequential);
    const data = this.opts.data;
    if (prefetch.length > 0) {
      data.prefetch(of.file, prefetch);
      // Sequential reader: have the next blocks opened locally and mapped before the kernel's
      // read-ahead asks for them, so those reads never reach JavaScript.
      if (this.native && data.prepareLocalBlock) {
        for (const b of prefetch) {
          if (of.mapped.has(b)) continue;
          void data.prepareLocalBlock(of.file, b).then(() => this.mapLocal(fd, of, b));
        }
      }
    }
    // Every slice must have settled before answering: `buf` belongs to libfuse and is reused for
    // another request once this one is answered, so no write into it may still be under way.
    const settled = await Promise.allSettled(slices.map((s) => data.readSlice(of.file, s, buf)));
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    for (const s of slices) this.mapLocal(fd, of, s.block);
    return slices.reduce((n, s) => n + s.length, 0);
  }

  /** Hands block `b` of handle `fd` to the native read path if its bytes are in a local file now. */
  private mapLocal(fd: number, of: OpenFile, b: number): void {
    const native = this.native;
    const data = this.opts.data;
    if (!native || !data.localBlockFd || of.mapped.has(b) || this.open.get(fd) !== of) return;
    const blockFd = data.localBlockFd(of.file, b);
    if (blockFd !== undefined && native.mapBlock(fd, of.file.size, of.file.blockSize, b, blockFd)) of.mapped.add(b);
  }

  private statfs(): FuseStatfs {
    const bsize = 4096;
    const cap = this.opts.capacity?.();
    const total = cap ? Math.ceil(cap.totalBytes / bsize) : 0;
    const used = cap ? Math.ceil(cap.usedBytes / bsize) : 0;
    return {
      bsize, frsize: bsize, blocks: total, bfree: Math.max(0, total - used), bavail: Math.max(0, total - used),
      files: 0, ffree: 0, favail: 0, flag: 1 /* ST_RDONLY */, namemax: 255,
    };
  }

  private toStat(e: UfsEntry | undefined): FuseStat {
    const mtimeMs = e && e.mtimeMs > 0 ? e.mtimeMs : this.startedAtMs;
    const isDir = !e || e.kind === 'directory';
    const size = isDir ? 4096 : e.size;
    return { mtimeMs, size, mode: isDir ? DIR_MODE : FILE_MODE, uid: this.uid, gid: this.gid, nlink: isDir ? 2 : 1, blksize: 1 << 20 };
  }

  private errno(op: string, path: string, err: unknown): number {
    if (err instanceof UfsNotFoundError) return -E.ENOENT;
    if (err instanceof IsDirectoryError) return -E.EISDIR;
    const r = this.layout.resolve(path);
    const where = r?.kind === 'mount' ? `mount ${r.mount} ufs path ${r.ufsPath}` : path;
    this.opts.log(`fuse ${op} failed (EIO) for ${where}: ${err instanceof Error ? err.message : String(err)}`);
    return -E.EIO;
  }
}

/** A directory was opened as a file (EISDIR). */
class IsDirectoryError extends FluidError {
  constructor() { super('IsDirectory', 'is a directory'); }
}

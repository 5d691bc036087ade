// The operation table a FUSE filesystem implements for the libfuse3 binding (fuse3-binding.ts).
// Callbacks take 0 or a negative errno first, as libfuse does. Everything else (writes of any kind,
// access) is answered by the binding itself: the dataset mount is read-only.

/** Attributes of one path; times in ms since the epoch. */
export interface FuseStat {
  readonly mode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  /** Preferred I/O size reported to readers (cp sizes its buffer from it). */
  readonly blksize: number;
}

export interface FuseStatfs {
  readonly bsize: number;
  readonly frsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
  readonly files: number;
  readonly ffree: number;
  readonly favail: number;
  /** statvfs f_flag (1 = ST_RDONLY). */
  readonly flag: number;
  readonly namemax: number;
}

export interface FuseOps {
  getattr(path: string, cb: (err: number, st?: FuseStat) => void): void;
  readdir(path: string, cb: (err: number, names?: readonly string[]) => void): void;
  /**
   * Fills `buf` (its length is the request size) from file offset `pos`; answers the byte count
   * (short only at end of file) or a negative errno. `sequential`: this read starts where the
   * previous read of the same handle ended (reads served natively included). Handles are numbered
   * by the binding, which answers open itself: the first read of a handle `fh` not seen before
   * opens `path` for it (so an open, and a read the page cache answers, never reach this table).
   */
  read(path: string, fh: number, buf: Buffer, pos: number, sequential: boolean, cb: (bytesOrErr: number) => void): void;
  /** The last close of a handle this table has seen a read of (others are released natively). */
  release(path: string, fh: number, cb: (err: number) => void): void;
  statfs(path: string, cb: (err: number, st?: FuseStatfs) => void): void;
}

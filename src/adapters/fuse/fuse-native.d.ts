// Typing for the parts of the fuse-native package (libfuse2, CommonJS, no bundled types) that the
// FUSE adapter uses. Callbacks take a negative errno (or 0) first, as libfuse does.
declare module 'fuse-native' {
  export interface FuseStat {
    mtime: Date;
    atime: Date;
    ctime: Date;
    size: number;
    mode: number;
    uid: number;
    gid: number;
    nlink?: number;
    blksize?: number;
    blocks?: number;
    ino?: number;
  }
  export interface FuseStatfs {
    bsize: number; frsize: number; blocks: number; bfree: number; bavail: number;
    files: number; ffree: number; favail: number; fsid: number; flag: number; namemax: number;
  }
  export type ErrCb = (err: number) => void;
  export interface FuseOps {
    init?(cb: ErrCb): void;
    getattr?(path: string, cb: (err: number, stat?: FuseStat) => void): void;
    fgetattr?(path: string, fd: number, cb: (err: number, stat?: FuseStat) => void): void;
    readdir?(path: string, cb: (err: number, names?: string[], stats?: FuseStat[]) => void): void;
    open?(path: string, flags: number, cb: (err: number, fd?: number) => void): void;
    opendir?(path: string, flags: number, cb: (err: number, fd?: number) => void): void;
    read?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (bytesOrErr: number) => void): void;
    write?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (bytesOrErr: number) => void): void;
    release?(path: string, fd: number, cb: ErrCb): void;
    releasedir?(path: string, fd: number, cb: ErrCb): void;
    statfs?(path: string, cb: (err: number, st?: FuseStatfs) => void): void;
    access?(path: string, mode: number, cb: ErrCb): void;
    create?(path: string, mode: number, cb: (err: number, fd?: number) => void): void;
    truncate?(path: string, size: number, cb: ErrCb): void;
    ftruncate?(path: string, fd: number, size: number, cb: ErrCb): void;
    unlink?(path: string, cb: ErrCb): void;
    rename?(src: string, dest: string, cb: ErrCb): void;
    link?(src: string, dest: string, cb: ErrCb): void;
    symlink?(src: string, dest: string, cb: ErrCb): void;
    mkdir?(path: string, mode: number, cb: ErrCb): void;
    rmdir?(path: string, cb: ErrCb): void;
    chmod?(path: string, mode: number, cb: ErrCb): void;
    chown?(path: string, uid: number, gid: number, cb: ErrCb): void;
    utimens?(path: string, atime: number, mtime: number, cb: ErrCb): void;
    mknod?(path: string, mode: number, dev: number, cb: ErrCb): void;
    setxattr?(path: string, name: string, value: Buffer, position: number, flags: number, cb: ErrCb): void;
    removexattr?(path: string, name: string, cb: ErrCb): void;
  }
  export interface FuseOptions {
    debug?: boolean;
    force?: boolean;
    mkdir?: boolean;
    /** Per-op timeout in ms (false = none). */
    timeout?: number | false;
    maxRead?: number;
    kernelCache?: boolean;
    autoCache?: boolean;
    attrTimeout?: number;
    entryTimeout?: number;
    fsname?: string;
    subtype?: string;
    allowOther?: boolean;
    autoUnmount?: boolean;
  }
  export default class Fuse {
    constructor(mnt: string, ops: FuseOps, opts?: FuseOptions);
    mount(cb: (err: Error | null) => void): void;
    unmount(cb: (err: Error | null) => void): void;
    static unmount(mnt: string, cb: (err: Error | null) => void): void;
    static readonly ENOENT: number;
    static readonly EIO: number;
    static readonly EROFS: number;
    static readonly ENOTDIR: number;
    static readonly EISDIR: number;
    static readonly EACCES: number;
    static readonly EBADF: number;
  }
}

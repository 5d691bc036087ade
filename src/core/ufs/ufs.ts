// The under-storage port. The master, the workers and the FUSE client see remote storage
// only through this interface; adapters/ufs implements it per scheme (local, http(s), s3/s3a/oss).

/** A path inside one mount, always absolute and normalised: "/", "/dir", "/dir/file". */
export type UfsPath = string;

export interface UfsEntry {
  /** Base name, no slashes. */
  readonly name: string;
  readonly kind: 'file' | 'directory';
  /** Bytes; 0 for directories. */
  readonly size: number;
  /** Modification time in ms since the epoch; 0 when the store does not say. */
  readonly mtimeMs: number;
  /** Change detector: an etag, or mtime+size; equal fingerprints mean equal bytes. */
  readonly fingerprint: string;
}

export interface Ufs {
  /** Lists a directory's direct children. Throws UfsNotFoundError if it does not exist. */
  list(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry[]>;
  /** Stats one path ("/" is the mount root and is always a directory). */
  stat(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry>;
  /**
   * Reads exactly `length` bytes at `offset` (fewer only at end of file).
   * Throws UfsChangedError if `fingerprint` is given (non-empty) and the object changed; an
   * empty string means "no check", like undefined.
   */
  read(path: UfsPath, offset: number, length: number, opts?: { fingerprint?: string; signal?: AbortSignal }): Promise<Uint8Array>;
  /**
   * Optional: like `read`, but writes the bytes into `target` (target.length bytes at `offset`)
   * instead of allocating, and resolves to the count written (fewer only at end of file). Lets a
   * block fill assemble its ranges in place (no per-range buffer and copy). With `fileSize`, the
   * read also requires the file to be exactly that long and rejects with UfsSizeMismatchError
   * otherwise (from the size the answer carries, else from a stat): a fill of a file's last block
   * checks it with no request of its own.
   */
  readInto?(path: UfsPath, offset: number, target: Uint8Array, opts?: { fingerprint?: string; signal?: AbortSignal; fileSize?: number }): Promise<number>;
  /** Releases sockets and clients. */
  close(): Promise<void>;
}

/**
 * A connector that can also write (local, s3; DataMigrate destinations). `writeFile` replaces the file
 * at `path` as a whole: readers see the old file or the new one, never a part (local: temp file +
 * rename; s3: one PutObject). Parent directories are created as needed.
 */
export interface WritableUfs extends Ufs {
  writeFile(path: UfsPath, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
}

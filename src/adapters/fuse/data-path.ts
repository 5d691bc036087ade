// The data port of the FUSE client: reads bytes of an immutable file version (identified by its
// fingerprint) one block slice at a time, and takes read-ahead hints.
import type { BlockSlice } from '../../core/fuse/block-math.js';
import type { UfsEntry } from '../../core/ufs/ufs.js';

/** One version of one file; the bytes never change for a given fingerprint. */
export interface FileRef {
  readonly mount: string;
  readonly ufsPath: string;
  readonly size: number;
  readonly fingerprint: string;
  /** Bytes per block for this file; slices handed to readSlice never cross a block boundary. */
  readonly blockSize: number;
}

export interface DataPath {
  /** Prepares reading one file version (may ask the master for its block layout). */
  openFile(mount: string, ufsPath: string, entry: UfsEntry): Promise<FileRef>;
  /**
   * Copies the slice's bytes into target[slice.targetOffset ..+ slice.length]. Resolves only when
   * every byte is in place; rejects when no source could serve it.
   */
  readSlice(file: FileRef, slice: BlockSlice, target: Buffer): Promise<void>;
  /**
   * Optional: a file descriptor of this block's bytes (block offset 0 = fd offset 0) when they are
   * in a local file right now (e.g. a same-host worker's verified block file, pinned while open).
   * The FUSE mount duplicates it and serves later reads of the block natively.
   */
  localBlockFd?(file: FileRef, block: number): number | undefined;
  /**
   * Optional, best effort (never rejects): makes the block's bytes available in a local file
   * (a same-host worker opens and pins it, filling it first if needed) and resolves with
   * `localBlockFd`'s answer; undefined when no local copy can be had.
   */
  prepareLocalBlock?(file: FileRef, block: number): Promise<number | undefined>;
  /** Best effort: start fetching these blocks in the background. Never throws. */
  prefetch(file: FileRef, blocks: readonly number[]): void;
  close(): Promise<void>;
}

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
   * Optional synchronous hot path: serves the slice only if its bytes are immediately at hand
   * (e.g. an open local block file) and returns true; false means "use readSlice".
   */
  tryReadSliceSync?(file: FileRef, slice: BlockSlice, target: Buffer): boolean;
  /** Best effort: start fetching these blocks in the background. Never throws. */
  prefetch(file: FileRef, blocks: readonly number[]): void;
  close(): Promise<void>;
}

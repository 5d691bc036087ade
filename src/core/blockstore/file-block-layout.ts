// The block layout of one file version: which blocks it has, where each starts, and their ids.
// Pure: both the master (with the block map's locations) and a FUSE client that knows the block
// size (without locations) compute the same ids, since a block id derives from (mount, path,
// fingerprint, block size, index) alone.
import type { BlockLocation, FileBlockInfo } from '../../api/engine-rpc.js';
import { blockIdOf } from './block-id.js';
import { blockRanges } from './block-range.js';

export interface FileVersion {
  /** The dataset path. */
  readonly path: string;
  readonly mount: string;
  readonly ufsPath: string;
  readonly size: number;
  readonly fingerprint: string;
}

export function fileBlockLayout(f: FileVersion, blockSize: number, locations: (blockId: string) => readonly BlockLocation[]): FileBlockInfo {
  const blocks = blockRanges(f.size, blockSize).map((b) => {
    const blockId = blockIdOf(f.mount, f.ufsPath, f.fingerprint, blockSize, b.index);
    return { ...b, blockId, locations: locations(blockId) };
  });
  return { path: f.path, mount: f.mount, ufsPath: f.ufsPath, size: f.size, blockSize, fingerprint: f.fingerprint, blocks };
}

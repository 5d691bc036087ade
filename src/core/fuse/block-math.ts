// Block arithmetic for the read path. A file of `fileSize` bytes is cut into blocks of
// `blockSize` bytes (the last one shorter); block i covers [i*blockSize, min((i+1)*blockSize, fileSize)).
import { assert } from '../errors.js';

/** One part of a read that falls inside a single block. All values are byte counts/offsets. */
export interface BlockSlice {
  readonly block: number;
  /** Offset of the slice inside the block. */
  readonly offsetInBlock: number;
  readonly length: number;
  /** Where the slice goes in the caller's buffer (0 = first byte of the read). */
  readonly targetOffset: number;
}

export function blockCount(fileSize: number, blockSize: number): number {
  assert(blockSize > 0, 'blockSize must be positive');
  return Math.ceil(fileSize / blockSize);
}

/** Length in bytes of block `block` (0 when it lies past the end of the file). */
export function blockLength(block: number, fileSize: number, blockSize: number): number {
  const start = block * blockSize;
  if (start >= fileSize) return 0;
  return Math.min(blockSize, fileSize - start);
}

/**
 * Splits the read [offset, offset+length) into per-block slices, clipped at end of file.
 * Returns [] for a read at or past EOF. Slices are in ascending order and contiguous.
 */
export function planRead(offset: number, length: number, fileSize: number, blockSize: number): BlockSlice[] {
  assert(blockSize > 0, 'blockSize must be positive');
  assert(offset >= 0 && length >= 0, 'offset and length must be non-negative');
  const end = Math.min(offset + length, fileSize);
  const slices: BlockSlice[] = [];
  let pos = offset;
  while (pos < end) {
    const block = Math.floor(pos / blockSize);
    const blockEnd = Math.min((block + 1) * blockSize, end);
    slices.push({ block, offsetInBlock: pos - block * blockSize, length: blockEnd - pos, targetOffset: pos - offset });
    pos = blockEnd;
  }
  return slices;
}

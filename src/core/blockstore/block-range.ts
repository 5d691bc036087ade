// Block and range arithmetic. A file of `size` bytes is cut into blocks of `blockSize` bytes; the
// last block is shorter. A block is filled from the UFS in ranges of at most `rangeSize` bytes.

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

export interface BlockRange extends ByteRange {
  readonly index: number;
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
}

/** The blocks of a file; an empty file has no block. */
export function blockRanges(size: number, blockSize: number): BlockRange[] {
  checkPositiveInt('blockSize', blockSize);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  const out: BlockRange[] = [];
  for (let index = 0, offset = 0; offset < size; index++, offset += blockSize) {
    out.push({ index, offset, length: Math.min(blockSize, size - offset) });
  }
  return out;
}

/** Splits [offset, offset+length) into consecutive ranges of at most `rangeSize` bytes. */
export function splitRange(offset: number, length: number, rangeSize: number): ByteRange[] {
  checkPositiveInt('rangeSize', rangeSize);
  const out: ByteRange[] = [];
  for (let o = 0; o < length; o += rangeSize) out.push({ offset: offset + o, length: Math.min(rangeSize, length - o) });
  return out;
}

/** Indexes of the blocks overlapping [offset, offset+length) of a file of `size` bytes. */
export function blocksOverlapping(offset: number, length: number, size: number, blockSize: number): { first: number; last: number } | null {
  checkPositiveInt('blockSize', blockSize);
  const end = Math.min(offset + length, size);
  if (offset >= end) return null;
  return { first: Math.floor(offset / blockSize), last: Math.floor((end - 1) / blockSize) };
}

/**
 * Parses an HTTP `Range: bytes=a-b` header against a body of `total` bytes.
 * Returns null when absent; throws RangeError when unsatisfiable or malformed.
 */
export function parseByteRangeHeader(header: string | undefined, total: number): ByteRange | null {
  if (header === undefined || header === '') return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) throw new RangeError(`unsupported Range header "${header}": expected bytes=a-b`);
  const [, a = '', b = ''] = m;
  let start: number;
  let end: number;
  if (a === '') {
    if (b === '') throw new RangeError(`unsupported Range header "${header}"`);
    start = Math.max(0, total - Number(b));
    end = total - 1;
  } else {
    start = Number(a);
    end = b === '' ? total - 1 : Math.min(Number(b), total - 1);
  }
  if (start > end || start >= total) throw new RangeError(`Range "${header}" is outside 0-${total - 1}`);
  return { offset: start, length: end - start + 1 };
}

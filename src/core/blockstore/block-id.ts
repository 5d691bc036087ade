// Block identity. A block id is a non-cryptographic 128-bit hash of (mount, path, fingerprint,
// block size, index): it changes whenever the UFS object changes (new fingerprint) or the block
// size changes, so a stale cached block can never be served for new bytes. Ids are 32 hex chars,
// safe in file names and URLs.
//
// A worker never trusts a client's block id: blockRefProblem() re-derives it from the other fields
// of the request, so bytes can only ever be cached under the id of the (mount, path, fingerprint,
// block size, index) they were read for.
import type { BlockInfo, BlockRef, FileBlockInfo } from '../../api/engine-rpc.js';

/** Largest block size a worker accepts (bytes); one block is buffered whole in memory during a fill. */
export const MAX_BLOCK_SIZE = 1024 * 1024 * 1024;
/** Smallest block size (the master refuses smaller ones too). */
export const MIN_BLOCK_SIZE = 4096;

const LANE_PRIMES = [0x01000193, 0x0100018d, 0x01000179, 0x01000163] as const;
const LANE_SEEDS = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35] as const;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 128-bit hash of a string as 32 hex chars. Deterministic across processes and platforms. */
export function hash128(s: string): string {
  const lanes = [...LANE_SEEDS] as number[];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul((lanes[l] as number) ^ c, LANE_PRIMES[l] as number);
  }
  // Cross-mix the lanes so each output word depends on all of them and on the length.
  const [a = 0, b = 0, c = 0, d = 0] = lanes;
  const n = s.length;
  const o1 = fmix32(a ^ Math.imul(b, 31) ^ n);
  const o2 = fmix32(b ^ Math.imul(c, 37) ^ o1);
  const o3 = fmix32(c ^ Math.imul(d, 41) ^ o2);
  const o4 = fmix32(d ^ Math.imul(a, 43) ^ o3);
  return [o1, o2, o3, o4].map((x) => x.toString(16).padStart(8, '0')).join('');
}

export function blockIdOf(mount: string, ufsPath: string, fingerprint: string, blockSize: number, index: number): string {
  return hash128(`${mount}\u0000${ufsPath}\u0000${fingerprint}\u0000${blockSize}\u0000${index}`);
}

/** True for strings shaped like a block id (what a worker accepts in a URL or file name). */
export function isBlockId(s: string): boolean {
  return /^[0-9a-f]{32}$/.test(s);
}

/** The BlockRef of block `b` of a file, as the master laid it out. */
export function blockRefOf(info: FileBlockInfo, b: BlockInfo): BlockRef {
  return {
    blockId: b.blockId, mount: info.mount, ufsPath: info.ufsPath, fingerprint: info.fingerprint,
    blockSize: info.blockSize, offset: b.offset, length: b.length,
  };
}

/** True for "/a/b": absolute, no empty, "." or ".." segments, not the root. */
export function isCleanFilePath(p: string): boolean {
  if (!p.startsWith('/') || p === '/') return false;
  return p.slice(1).split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('\u0000'));
}

/**
 * What is wrong with a block request, naming the field through `name` (a worker's GET /blocks names
 * query parameters, its JSON methods name body fields); undefined when it is consistent. Checks the
 * geometry (block size, offset on a block boundary, 0 < length <= block size), the path, and that
 * the id is the one derived from the rest.
 */
export function blockRefProblem(ref: BlockRef, name: (field: keyof BlockRef) => string = (f) => f): string | undefined {
  if (!isCleanFilePath(ref.ufsPath)) return `${name('ufsPath')}: expected an absolute file path without ".", ".." or empty segments`;
  if (!Number.isSafeInteger(ref.blockSize) || ref.blockSize < MIN_BLOCK_SIZE || ref.blockSize > MAX_BLOCK_SIZE) {
    return `${name('blockSize')}: expected an integer ${MIN_BLOCK_SIZE}..${MAX_BLOCK_SIZE} (bytes)`;
  }
  if (ref.length < 1 || ref.length > ref.blockSize) return `${name('length')}: expected 1..${ref.blockSize} (at most one block), got ${ref.length}`;
  if (ref.offset % ref.blockSize !== 0) return `${name('offset')}: expected a multiple of the block size ${ref.blockSize}, got ${ref.offset}`;
  const want = blockIdOf(ref.mount, ref.ufsPath, ref.fingerprint, ref.blockSize, ref.offset / ref.blockSize);
  if (ref.blockId !== want) return `${name('blockId')}: does not match the block of ${name('mount')}, ${name('ufsPath')}, ${name('fingerprint')}, ${name('blockSize')} and ${name('offset')}`;
  return undefined;
}

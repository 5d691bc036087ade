// DataPath straight over the under storage: the last-resort fallback of the FUSE client, and the
// whole data path when no worker is reachable. Reads go in aligned chunks of `chunkSize` bytes
// (one range read each) kept in a small in-memory LRU, so the kernel's 128 KiB FUSE reads do not
// each become a range request; concurrent requests for one chunk share a single fetch.
import type { BlockSlice } from '../../core/fuse/block-math.js';
import type { Ufs, UfsEntry } from '../../core/ufs/ufs.js';
import { UfsNotFoundError } from '../../core/ufs/ufs-errors.js';
import { ChunkCache } from './chunk-cache.js';
import type { DataPath, FileRef } from './data-path.js';
import type { FuseMetrics } from './fuse-metrics.js';

export interface UfsDataPathOptions {
  /** Bytes per range read and per cached chunk; also the block size of files opened here. */
  readonly chunkSize: number;
  /** Memory for cached chunks, in bytes. */
  readonly cacheBytes: number;
  /** Prefetches running at once. */
  readonly maxParallelPrefetch: number;
}

export class UfsDataPath implements DataPath {
  private readonly cache: ChunkCache;
  private prefetching = 0;

  constructor(
    private readonly ufsByMount: ReadonlyMap<string, Ufs>,
    private readonly metrics: FuseMetrics,
    private readonly opts: UfsDataPathOptions,
  ) {
    this.cache = new ChunkCache(opts.cacheBytes);
  }

  openFile(mount: string, ufsPath: string, entry: UfsEntry): Promise<FileRef> {
    return Promise.resolve({ mount, ufsPath, size: entry.size, fingerprint: entry.fingerprint, blockSize: this.opts.chunkSize });
  }

  /**
   * Reads any byte range of `file` (it need not match the file's block layout) into
   * target[targetOffset..], chunk by chunk. Used as the fallback by other data paths.
   */
  async readRange(file: FileRef, offset: number, length: number, target: Buffer, targetOffset: number): Promise<void> {
    const cs = this.opts.chunkSize;
    let pos = offset;
    const end = offset + length;
    while (pos < end) {
      const chunk = Math.floor(pos / cs);
      const data = await this.chunk(file, chunk);
      const inChunk = pos - chunk * cs;
      const n = Math.min(end - pos, data.length - inChunk);
      if (n <= 0) throw new Error(`under storage returned a short chunk for ${file.mount}:${file.ufsPath} at ${pos}`);
      target.set(data.subarray(inChunk, inChunk + n), targetOffset + (pos - offset));
      pos += n;
    }
    this.metrics.addRead('ufs', length);
  }

  async readSlice(file: FileRef, slice: BlockSlice, target: Buffer): Promise<void> {
    await this.readRange(file, slice.block * file.blockSize + slice.offsetInBlock, slice.length, target, slice.targetOffset);
  }

  prefetch(file: FileRef, blocks: readonly number[]): void {
    for (const b of blocks) {
      if (this.prefetching >= this.opts.maxParallelPrefetch) return;
      const firstChunk = Math.floor((b * file.blockSize) / this.opts.chunkSize);
      if (this.cache.has(this.key(file, firstChunk))) continue;
      this.prefetching += 1;
      this.metrics.prefetchedBlocks += 1;
      this.chunk(file, firstChunk).catch(() => undefined).finally(() => { this.prefetching -= 1; });
    }
  }

  async close(): Promise<void> {
    await this.cache.drain();
    this.cache.clear();
  }

  private key(file: FileRef, chunk: number): string {
    return `${file.mount}\0${file.ufsPath}\0${file.fingerprint}\0${chunk}`;
  }

  private async chunk(file: FileRef, chunk: number): Promise<Uint8Array> {
    const { data } = await this.cache.get(this.key(file, chunk), () => this.fetch(file, chunk));
    return data;
  }

  private async fetch(file: FileRef, chunk: number): Promise<Uint8Array> {
    const ufs = this.ufsByMount.get(file.mount);
    if (!ufs) throw new UfsNotFoundError(`${file.mount}:${file.ufsPath}`);
    const start = chunk * this.opts.chunkSize;
    const len = Math.max(0, Math.min(this.opts.chunkSize, file.size - start));
    this.metrics.cacheMisses += 1;
    const data = await ufs.read(file.ufsPath, start, len, { fingerprint: file.fingerprint });
    if (data.length !== len) {
      throw new Error(`under storage returned ${data.length} of ${len} bytes at ${start} of ${file.mount}:${file.ufsPath}`);
    }
    return data;
  }
}

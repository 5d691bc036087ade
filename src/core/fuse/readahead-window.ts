// Sequential-read detection for one open file. The FUSE client feeds every read to `onRead`;
// when reads are sequential the window grows (doubling, from `minBlocks` up to `maxBlocks`) and
// `onRead` returns the block indexes that should be prefetched now. Each block is returned at most
// once per sequential run; a seek resets the window. Pure: no I/O, no clock.
import { blockCount } from './block-math.js';

export interface ReadaheadOptions {
  /** Blocks prefetched when a sequential run is first detected (>= 1). */
  readonly minBlocks: number;
  /** Upper bound of the window, in blocks. */
  readonly maxBlocks: number;
  /** Sequential reads needed before prefetching starts (>= 1). */
  readonly triggerReads: number;
}

export const defaultReadaheadOptions: ReadaheadOptions = { minBlocks: 2, maxBlocks: 8, triggerReads: 2 };

export class ReadaheadWindow {
  private nextExpected = -1;
  private sequentialReads = 0;
  private window: number;
  /** Highest block index already handed out for prefetch in this run (-1 = none). */
  private issuedUpTo = -1;

  constructor(
    private readonly fileSize: number,
    private readonly blockSize: number,
    private readonly opts: ReadaheadOptions = defaultReadaheadOptions,
  ) {
    this.window = Math.max(1, opts.minBlocks);
  }

  /**
   * Records a read of [offset, offset+length) and returns blocks to prefetch (ascending, maybe
   * empty). `continues`: the caller saw reads this window did not (e.g. served elsewhere) and
   * knows this one continues the previous read of the stream.
   */
  onRead(offset: number, length: number, continues = false): number[] {
    const sequential = continues || offset === this.nextExpected || (offset === 0 && this.nextExpected === -1);
    if (sequential) {
      this.sequentialReads += 1;
    } else {
      this.sequentialReads = 1;
      this.window = Math.max(1, this.opts.minBlocks);
      this.issuedUpTo = -1;
    }
    this.nextExpected = offset + length;
    if (this.sequentialReads < this.opts.triggerReads) return [];

    const current = Math.floor(offset / this.blockSize);
    const last = blockCount(this.fileSize, this.blockSize) - 1;
    // Grow the window once the reader enters a block we already prefetched.
    if (this.issuedUpTo >= 0 && current > this.issuedUpTo - this.window) {
      this.window = Math.min(this.opts.maxBlocks, this.window * 2);
    }
    const from = Math.max(current + 1, this.issuedUpTo + 1);
    const to = Math.min(last, current + this.window);
    const out: number[] = [];
    for (let b = from; b <= to; b++) out.push(b);
    if (to > this.issuedUpTo) this.issuedUpTo = to;
    return out;
  }
}

// Bytes of blocks that were fetched from the UFS but could not be kept in any tier (no room,
// or the tier's disk refused the write), held in memory for a short window so that the readers of
// that block (concurrent ones, and the same reader's next range requests of it) are served without
// fetching it again. Bounded by total bytes (least recently used dropped first) and by age since
// last use (`windowMs`). Pure: callers pass the clock.

export interface RecentBlocksOptions {
  /** Total bytes held at most; 0 disables. */
  readonly capacityBytes: number;
  /** A block unused for this long (ms) is dropped. */
  readonly windowMs: number;
}

export class RecentBlocks<B extends { readonly length: number }> {
  /** Iteration order = least recently used first. */
  private readonly entries = new Map<string, { readonly bytes: B; lastUseMs: number }>();
  private held = 0;

  constructor(private readonly opts: RecentBlocksOptions) {}

  /** Holds `bytes` for `blockId` (replacing an older copy); a block larger than the capacity is not held. */
  put(blockId: string, bytes: B, nowMs: number): void {
    this.delete(blockId);
    if (bytes.length > this.opts.capacityBytes) return;
    this.entries.set(blockId, { bytes, lastUseMs: nowMs });
    this.held += bytes.length;
    this.trim(nowMs);
  }

  /** The held bytes (refreshing their window), or undefined. */
  get(blockId: string, nowMs: number): B | undefined {
    this.trim(nowMs);
    const e = this.entries.get(blockId);
    if (!e) return undefined;
    this.entries.delete(blockId);
    e.lastUseMs = nowMs;
    this.entries.set(blockId, e);
    return e.bytes;
  }

  delete(blockId: string): void {
    const e = this.entries.get(blockId);
    if (!e) return;
    this.entries.delete(blockId);
    this.held -= e.bytes.length;
  }

  get bytes(): number {
    return this.held;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  private trim(nowMs: number): void {
    for (const [id, e] of this.entries) {
      if (this.held <= this.opts.capacityBytes && nowMs - e.lastUseMs < this.opts.windowMs) break;
      this.delete(id);
    }
  }
}

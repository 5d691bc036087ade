// Pluggable eviction policy of one block directory. The block store tells it about inserts,
// accesses and removals (with the caller's clock, ms) and asks it for victims; it never sees I/O.

export interface EvictionPolicy {
  onInsert(blockId: string, nowMs: number): void;
  onAccess(blockId: string, nowMs: number): void;
  onRemove(blockId: string): void;
  /**
   * Victims in eviction order whose lengths add up to at least `bytesNeeded` (or every evictable
   * block if that is not enough). `evictableLength` returns a block's length, or undefined when the
   * block may not be evicted now (pinned).
   */
  victims(bytesNeeded: number, evictableLength: (blockId: string) => number | undefined): string[];
}

/** Least recently used first; ties (equal timestamps) broken by insertion/access order. */
export class LruPolicy implements EvictionPolicy {
  /** Iteration order = least recently used first (an access moves the entry to the end). */
  private readonly lastUse = new Map<string, number>();

  onInsert(blockId: string, nowMs: number): void {
    this.lastUse.delete(blockId);
    this.lastUse.set(blockId, nowMs);
  }

  onAccess(blockId: string, nowMs: number): void {
    if (!this.lastUse.has(blockId)) return;
    this.lastUse.delete(blockId);
    this.lastUse.set(blockId, nowMs);
  }

  onRemove(blockId: string): void {
    this.lastUse.delete(blockId);
  }

  victims(bytesNeeded: number, evictableLength: (blockId: string) => number | undefined): string[] {
    const out: string[] = [];
    let freed = 0;
    for (const id of this.lastUse.keys()) {
      if (freed >= bytesNeeded) break;
      const len = evictableLength(id);
      if (len === undefined) continue;
      out.push(id);
      freed += len;
    }
    return out;
  }
}

export type EvictionPolicyName = 'LRU';

export function createEvictionPolicy(name: string): EvictionPolicy {
  switch (name.toUpperCase()) {
    case 'LRU': return new LruPolicy();
    default: throw new RangeError(`unknown eviction policy "${name}": supported: LRU`);
  }
}

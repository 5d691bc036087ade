// The worker's block bookkeeping over tiers, without I/O: which directory holds which block,
// bytes used and reserved per directory, pins, and placement/eviction decisions.
//
// Placement: a new block goes to the first directory (top tier first, then the tier's paths in
// order) whose usage would stay at or below its high watermark (quota * high). When none has room,
// the first directory that can make room by evicting unpinned blocks evicts down to its low
// watermark (and at least enough for the block), so eviction happens in batches. When no directory
// can hold the block even after eviction, the caller streams it through without caching.
// Invariant: for every directory, used + reserved <= quota * high (it can only exceed it when a
// restart finds more data than the quota, and then the next placement in it evicts).
import type { TierMedium, TierUsage } from '../../api/engine-rpc.js';
import type { EvictionPolicy } from './eviction-policy.js';

export interface DirSpec {
  readonly medium: TierMedium;
  readonly path: string;
  /** Bytes. */
  readonly quota: number;
  /** Fractions of quota. */
  readonly high: number;
  readonly low: number;
}

export interface StoredBlock {
  readonly blockId: string;
  readonly dir: number;
  readonly length: number;
}

export type Placement =
  | { readonly kind: 'place'; readonly dir: number; readonly evicted: readonly StoredBlock[] }
  | { readonly kind: 'bypass'; readonly reason: string };

interface DirState {
  readonly spec: DirSpec;
  used: number;
  reserved: number;
  readonly policy: EvictionPolicy;
}

export class BlockStoreState {
  private readonly dirs: DirState[];
  private readonly blocks = new Map<string, StoredBlock>();
  private readonly pins = new Map<string, number>();

  constructor(dirs: readonly DirSpec[], newPolicy: () => EvictionPolicy) {
    if (dirs.length === 0) throw new RangeError('a block store needs at least one directory');
    this.dirs = dirs.map((spec, i) => {
      if (!(spec.quota > 0)) throw new RangeError(`dir ${i} (${spec.path}): quota must be > 0`);
      if (!(spec.low >= 0 && spec.low <= spec.high && spec.high <= 1)) throw new RangeError(`dir ${i} (${spec.path}): need 0 <= low <= high <= 1`);
      return { spec, used: 0, reserved: 0, policy: newPolicy() };
    });
  }

  dirSpecs(): readonly DirSpec[] {
    return this.dirs.map((d) => d.spec);
  }

  get(blockId: string): StoredBlock | undefined {
    return this.blocks.get(blockId);
  }

  all(): StoredBlock[] {
    return [...this.blocks.values()];
  }

  get size(): number {
    return this.blocks.size;
  }

  /** Reserves room for a new block of `length` bytes, evicting if needed (the evicted blocks are gone from the state). */
  reserve(length: number, nowMs: number): Placement {
    if (length <= 0) return { kind: 'bypass', reason: 'empty block' };
    for (let i = 0; i < this.dirs.length; i++) {
      const d = this.dirs[i] as DirState;
      if (d.used + d.reserved + length <= d.spec.quota * d.spec.high) {
        d.reserved += length;
        return { kind: 'place', dir: i, evicted: [] };
      }
    }
    for (let i = 0; i < this.dirs.length; i++) {
      const d = this.dirs[i] as DirState;
      const target = Math.min(d.spec.quota * d.spec.low, d.spec.quota * d.spec.high - length);
      if (target < 0) continue;
      const need = d.used + d.reserved - target;
      const ids = d.policy.victims(need, (id) => {
        const b = this.blocks.get(id);
        return b && b.dir === i && !this.pins.has(id) ? b.length : undefined;
      });
      let freed = 0;
      for (const id of ids) freed += this.blocks.get(id)?.length ?? 0;
      if (freed < need) continue;
      const evicted = ids.map((id) => this.remove(id)).filter((b): b is StoredBlock => b !== undefined);
      d.reserved += length;
      void nowMs;
      return { kind: 'place', dir: i, evicted };
    }
    return { kind: 'bypass', reason: `no tier directory can hold a block of ${length} bytes (all full of pinned blocks or too small)` };
  }

  /** Turns a reservation made by `reserve` into a stored block. */
  commit(blockId: string, dir: number, length: number, nowMs: number): void {
    const d = this.dirAt(dir);
    d.reserved = Math.max(0, d.reserved - length);
    this.insert(blockId, dir, length, nowMs);
  }

  /** Cancels a reservation (the fill failed). */
  release(dir: number, length: number): void {
    const d = this.dirAt(dir);
    d.reserved = Math.max(0, d.reserved - length);
  }

  /** Records a block found on disk at startup (no watermark check: the data is already there). */
  adopt(blockId: string, dir: number, length: number, nowMs: number): void {
    this.insert(blockId, dir, length, nowMs);
  }

  /** Forgets a block (evicted, corrupt, or deleted); returns it if it was known. */
  remove(blockId: string): StoredBlock | undefined {
    const b = this.blocks.get(blockId);
    if (!b) return undefined;
    this.blocks.delete(blockId);
    const d = this.dirAt(b.dir);
    d.used -= b.length;
    d.policy.onRemove(blockId);
    return b;
  }

  access(blockId: string, nowMs: number): void {
    const b = this.blocks.get(blockId);
    if (b) this.dirAt(b.dir).policy.onAccess(blockId, nowMs);
  }

  pin(blockId: string): void {
    this.pins.set(blockId, (this.pins.get(blockId) ?? 0) + 1);
  }

  unpin(blockId: string): void {
    const n = this.pins.get(blockId) ?? 0;
    if (n <= 1) this.pins.delete(blockId);
    else this.pins.set(blockId, n - 1);
  }

  isPinned(blockId: string): boolean {
    return this.pins.has(blockId);
  }

  /** Per medium: capacity = sum of quotas, used = stored bytes (reservations excluded). */
  usage(): TierUsage[] {
    const by = new Map<TierMedium, { capacityBytes: number; usedBytes: number }>();
    for (const d of this.dirs) {
      const u = by.get(d.spec.medium) ?? { capacityBytes: 0, usedBytes: 0 };
      u.capacityBytes += d.spec.quota;
      u.usedBytes += d.used;
      by.set(d.spec.medium, u);
    }
    return [...by].map(([medium, u]) => ({ medium, ...u }));
  }

  dirUsage(dir: number): { used: number; reserved: number } {
    const d = this.dirAt(dir);
    return { used: d.used, reserved: d.reserved };
  }

  private insert(blockId: string, dir: number, length: number, nowMs: number): void {
    if (this.blocks.has(blockId)) this.remove(blockId);
    const d = this.dirAt(dir);
    this.blocks.set(blockId, { blockId, dir, length });
    d.used += length;
    d.policy.onInsert(blockId, nowMs);
  }

  private dirAt(dir: number): DirState {
    const d = this.dirs[dir];
    if (!d) throw new RangeError(`no block directory ${dir}`);
    return d;
  }
}

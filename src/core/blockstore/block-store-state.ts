// The worker's block bookkeeping over tiers, without I/O: which directory holds which block,
// bytes used and reserved per directory, pins, leases, and placement/eviction decisions.
//
// Placement: a new block goes to the first directory (top tier first, then the tier's paths in
// order) whose usage would stay at or below its high watermark (quota * high). When none has room,
// the first directory that can make room evicts down to its low watermark (and at least enough for
// the block), so eviction happens in batches. When no directory can hold the block even after
// eviction, the caller serves it without caching.
// Invariant: for every directory, used + reserved <= quota * high (it can only exceed it when a
// restart finds more data than the quota, and then the next placement in it evicts).
//
// What may be evicted (`evictionClass`), in this order, least recently used first within a class:
//   1. 'free': no pin, no lease, not an unread read-ahead block (down to the low watermark);
//   2. 'idle-lease' (only as much as the new block needs): only leases older than `leaseGraceMs` (a FUSE client holds the block file
//      open; the store unlinks on eviction and never rewrites a block file in place, so an open fd
//      keeps reading the right bytes);
// Never now: 'unread', a block filled for read-ahead (`prefetch`) that nobody has read yet, younger
// than `unreadHoldMs` (evicting it means fetching it again when the reader gets there; a block that
// cannot get room is served from memory instead, once); a pinned block (the worker itself is
// reading its file); one leased within the grace (the client has not opened the file yet).
// The purposes differ in what they ask before fetching: read-ahead asks `placeable` and fetches
// nothing that no tier would keep, a demand read always fetches.
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

/** Why a block is being placed: a reader waits for it, or it is read-ahead / preload. */
export type FillPurpose = 'read' | 'prefetch';

export type EvictionClass = 'free' | 'idle-lease' | 'unread' | 'kept';

/** What the state knows of one stored block's use, for `evictionClass`. */
export interface BlockUse {
  /** Pins held now (in-process reads of the block file). */
  readonly pins: number;
  /** Age (ms) of each short-circuit lease on the block. */
  readonly leaseAgesMs: readonly number[];
  /** ms since a read-ahead fill stored it, while nobody has read it; undefined once read. */
  readonly unreadAgeMs: number | undefined;
}

export interface PinRules {
  /** A lease younger than this keeps its block (the client opens the file right after). */
  readonly leaseGraceMs: number;
  /** An unread read-ahead block is protected from other read-ahead for this long. */
  readonly unreadHoldMs: number;
}

export const DEFAULT_PIN_RULES: PinRules = { leaseGraceMs: 2_000, unreadHoldMs: 60_000 };

/** The eviction rule of one block (see the file comment). */
export function evictionClass(use: BlockUse, rules: PinRules): EvictionClass {
  if (use.pins > 0 || use.leaseAgesMs.some((a) => a < rules.leaseGraceMs)) return 'kept';
  if (use.unreadAgeMs !== undefined && use.unreadAgeMs < rules.unreadHoldMs) return 'unread';
  return use.leaseAgesMs.length > 0 ? 'idle-lease' : 'free';
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

interface Plan {
  readonly dir: number;
  /** Victims in eviction order (all in `dir`). */
  readonly evict: readonly string[];
}

export class BlockStoreState {
  private readonly dirs: DirState[];
  private readonly blocks = new Map<string, StoredBlock>();
  private readonly pins = new Map<string, number>();
  /** leaseId -> its block and when it was taken (ms). */
  private readonly leases = new Map<string, { readonly blockId: string; readonly atMs: number }>();
  private readonly leasesByBlock = new Map<string, Set<string>>();
  /** blockId -> when a read-ahead fill stored it, until it is first read. */
  private readonly unread = new Map<string, number>();

  constructor(dirs: readonly DirSpec[], newPolicy: () => EvictionPolicy, private readonly rules: PinRules = DEFAULT_PIN_RULES) {
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

  /**
   * Reserves room for a new block of `length` bytes, evicting if needed (the evicted blocks are
   * gone from the state; the caller deletes their files).
   */
  reserve(length: number, nowMs: number, purpose: FillPurpose = 'read'): Placement {
    if (length <= 0) return { kind: 'bypass', reason: 'empty block' };
    const plan = this.plan(length, nowMs);
    if (!plan) {
      return {
        kind: 'bypass',
        reason: `no tier directory can hold a${purpose === 'prefetch' ? ' read-ahead' : ''} block of ${length} bytes without evicting blocks in use or not read yet (or it is too small)`,
      };
    }
    const evicted = plan.evict.map((id) => this.remove(id)).filter((b): b is StoredBlock => b !== undefined);
    this.dirAt(plan.dir).reserved += length;
    return { kind: 'place', dir: plan.dir, evicted };
  }

  /** Whether `reserve(length, nowMs)` would place the block now (no effect). */
  placeable(length: number, nowMs: number): boolean {
    return length > 0 && this.plan(length, nowMs) !== undefined;
  }

  /** The eviction class of a stored block now (undefined if not stored). */
  classOf(blockId: string, nowMs: number): EvictionClass | undefined {
    if (!this.blocks.has(blockId)) return undefined;
    const ages = [...(this.leasesByBlock.get(blockId) ?? [])].map((l) => nowMs - (this.leases.get(l)?.atMs ?? nowMs));
    const at = this.unread.get(blockId);
    return evictionClass({ pins: this.pins.get(blockId) ?? 0, leaseAgesMs: ages, unreadAgeMs: at === undefined ? undefined : nowMs - at }, this.rules);
  }

  private plan(length: number, nowMs: number): Plan | undefined {
    for (let i = 0; i < this.dirs.length; i++) {
      const d = this.dirs[i] as DirState;
      if (d.used + d.reserved + length <= d.spec.quota * d.spec.high) return { dir: i, evict: [] };
    }
    const classes: readonly { cls: EvictionClass; toLow: boolean }[] = [{ cls: 'free', toLow: true }, { cls: 'idle-lease', toLow: false }];
    for (let i = 0; i < this.dirs.length; i++) {
      const d = this.dirs[i] as DirState;
      const high = d.spec.quota * d.spec.high;
      if (length > high) continue;
      // `need` evicts down to the low watermark (a batch); `minNeed` is just enough for the block.
      const need = d.used + d.reserved - Math.min(d.spec.quota * d.spec.low, high - length);
      const minNeed = d.used + d.reserved + length - high;
      const evict: string[] = [];
      let freed = 0;
      for (const { cls, toLow } of classes) {
        const goal = toLow ? need : minNeed;
        if (freed >= goal) break;
        const ids = d.policy.victims(goal - freed, (id) => {
          const b = this.blocks.get(id);
          return b && b.dir === i && this.classOf(id, nowMs) === cls ? b.length : undefined;
        });
        for (const id of ids) { evict.push(id); freed += this.blocks.get(id)?.length ?? 0; }
      }
      if (freed >= minNeed) return { dir: i, evict };
    }
    return undefined;
  }

  /** Turns a reservation made by `reserve` into a stored block. */
  commit(blockId: string, dir: number, length: number, nowMs: number, purpose: FillPurpose = 'read'): void {
    const d = this.dirAt(dir);
    d.reserved = Math.max(0, d.reserved - length);
    this.insert(blockId, dir, length, nowMs);
    if (purpose === 'prefetch') this.unread.set(blockId, nowMs);
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
    this.unread.delete(blockId);
    return b;
  }

  /** A reader used the block (it is no longer an unread read-ahead block). */
  access(blockId: string, nowMs: number): void {
    const b = this.blocks.get(blockId);
    if (!b) return;
    this.dirAt(b.dir).policy.onAccess(blockId, nowMs);
    this.unread.delete(blockId);
  }

  /**
   * A short-circuit reader holds the block's file under `leaseId` (unique). The lease keeps the
   * block only for the grace; afterwards it is evicted after unleased blocks (see the file comment).
   */
  lease(blockId: string, leaseId: string, nowMs: number): void {
    this.endLease(leaseId);
    this.leases.set(leaseId, { blockId, atMs: nowMs });
    let set = this.leasesByBlock.get(blockId);
    if (!set) { set = new Set(); this.leasesByBlock.set(blockId, set); }
    set.add(leaseId);
    this.access(blockId, nowMs);
  }

  /** Ends a lease (unknown ids are ignored); returns the block it was on. */
  endLease(leaseId: string): string | undefined {
    const l = this.leases.get(leaseId);
    if (!l) return undefined;
    this.leases.delete(leaseId);
    const set = this.leasesByBlock.get(l.blockId);
    set?.delete(leaseId);
    if (set?.size === 0) this.leasesByBlock.delete(l.blockId);
    return l.blockId;
  }

  get leaseCount(): number {
    return this.leases.size;
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
    this.unread.delete(blockId);
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

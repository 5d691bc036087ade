// Worker registry and block map: which live worker holds which block, and each worker's tier usage.
// Pure data; changed only through MasterStateMachine.apply().
//
// Lease rule (one worker id = one live process): a registration replaces the record of its worker
// id only when it comes from the same instance (a re-registration after a lost heartbeat or a master
// restart) or when the recorded instance's lease has run out (no heartbeat for `leaseMs`). So a
// second process claiming a live worker's id, at another address or not, is refused until the live
// one has been silent for a whole lease; a restarted worker (new instance) waits out its old lease.
// Heartbeats count only from the registered instance.
import type { CachedBlockRef, TierMedium, TierUsage, WorkerInfo } from '../../api/engine-rpc.js';

export interface WorkerRecord {
  id: string;
  /** Random per worker process start; '' for records restored from snapshots that predate it. */
  instanceId: string;
  /** uid that owns the worker's block files (-1 unknown). */
  uid: number;
  /** Absolute tier directories the worker declared; short-circuit files must lie under them. */
  tierPaths: string[];
  address: string;
  host: string;
  tiers: TierUsage[];
  lastHeartbeatMs: number;
  /** blockId -> tier it is stored in. */
  blocks: Map<string, TierMedium>;
}

export interface WorkerRegistrySnapshot {
  workers: {
    id: string; instanceId?: string; uid?: number; tierPaths?: string[]; address: string; host: string; tiers: TierUsage[]; lastHeartbeatMs: number;
    blocks: [string, TierMedium][];
  }[];
  /** blockId -> length. */
  lengths: [string, number][];
}

export interface RegisterInput {
  workerId: string; instanceId: string; uid: number; tierPaths: readonly string[]; address: string; host: string;
  tiers: readonly TierUsage[]; blocks: readonly CachedBlockRef[]; atMs: number;
}

export type AdmitVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly holder: { readonly instanceId: string; readonly address: string }; readonly leaseEndsMs: number };

export class WorkerRegistry {
  private workers = new Map<string, WorkerRecord>();
  /** blockId -> worker ids holding it. */
  private holders = new Map<string, Set<string>>();
  /** blockId -> length, for every block held by at least one worker. */
  private lengths = new Map<string, number>();

  /** Whether a registration may replace the current record of its worker id (the lease rule above). A query. */
  admit(e: { workerId: string; instanceId: string; atMs: number; leaseMs: number }): AdmitVerdict {
    const w = this.workers.get(e.workerId);
    // Entries journaled before the lease rule carry no leaseMs: they replay as they applied then.
    if (!w || w.instanceId === e.instanceId || typeof e.leaseMs !== 'number') return { ok: true };
    const leaseEndsMs = w.lastHeartbeatMs + e.leaseMs;
    if (leaseEndsMs < e.atMs) return { ok: true };
    return { ok: false, holder: { instanceId: w.instanceId, address: w.address }, leaseEndsMs };
  }

  /** Replaces the record of `workerId` unconditionally; callers check admit() first. */
  register(e: RegisterInput): void {
    this.drop(e.workerId);
    const w: WorkerRecord = {
      // `?? ` defaults: register entries journaled before these fields existed.
      id: e.workerId, instanceId: e.instanceId ?? '', uid: e.uid ?? -1, tierPaths: [...(e.tierPaths ?? [])], address: e.address, host: e.host,
      tiers: e.tiers.map((t) => ({ ...t })), lastHeartbeatMs: e.atMs, blocks: new Map(),
    };
    this.workers.set(w.id, w);
    for (const b of e.blocks) this.addBlock(w, b);
  }

  /** Returns false when the worker is unknown or registered by another instance (it must register). */
  heartbeat(e: { workerId: string; instanceId: string; tiers: readonly TierUsage[]; added: readonly CachedBlockRef[]; removed: readonly string[]; atMs: number }): boolean {
    const w = this.workers.get(e.workerId);
    // A heartbeat journaled before instance ids existed (no instanceId) counts as it did then.
    if (!w || (e.instanceId !== undefined && w.instanceId !== e.instanceId)) return false;
    w.tiers = e.tiers.map((t) => ({ ...t }));
    w.lastHeartbeatMs = Math.max(w.lastHeartbeatMs, e.atMs);
    for (const id of e.removed) this.removeBlock(w, id);
    for (const b of e.added) this.addBlock(w, b);
    return true;
  }

  /** Ids (sorted) of workers silent for longer than timeoutMs. A query: changes nothing. */
  silent(nowMs: number, timeoutMs: number): string[] {
    return [...this.workers.values()].filter((w) => w.lastHeartbeatMs + timeoutMs < nowMs).map((w) => w.id).sort();
  }

  /** Drops workers silent for longer than timeoutMs; returns their ids (sorted). */
  expire(nowMs: number, timeoutMs: number): string[] {
    const gone = this.silent(nowMs, timeoutMs);
    for (const id of gone) this.drop(id);
    return gone;
  }

  get(id: string): WorkerRecord | undefined {
    return this.workers.get(id);
  }

  /** Workers holding `blockId`, sorted by id (deterministic order). */
  locations(blockId: string): WorkerRecord[] {
    const ids = this.holders.get(blockId);
    if (!ids) return [];
    return [...ids].sort().map((id) => this.workers.get(id)).filter((w): w is WorkerRecord => w !== undefined);
  }

  list(): WorkerInfo[] {
    return [...this.workers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((w) => ({
      id: w.id,
      instanceId: w.instanceId,
      uid: w.uid,
      tierPaths: [...w.tierPaths],
      address: w.address,
      host: w.host,
      tiers: w.tiers.map((t) => ({ ...t })),
      capacityBytes: w.tiers.reduce((s, t) => s + t.capacityBytes, 0),
      usedBytes: w.tiers.reduce((s, t) => s + t.usedBytes, 0),
      blockCount: w.blocks.size,
      lastHeartbeatMs: w.lastHeartbeatMs,
    }));
  }

  /** Sum of distinct cached block lengths. */
  cachedBytes(): number {
    let s = 0;
    for (const l of this.lengths.values()) s += l;
    return s;
  }

  snapshot(): WorkerRegistrySnapshot {
    return {
      workers: [...this.workers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((w) => ({
        id: w.id, instanceId: w.instanceId, uid: w.uid, tierPaths: [...w.tierPaths], address: w.address, host: w.host,
        tiers: w.tiers.map((t) => ({ ...t })), lastHeartbeatMs: w.lastHeartbeatMs,
        blocks: [...w.blocks].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      })),
      lengths: [...this.lengths].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    };
  }

  restore(s: WorkerRegistrySnapshot): void {
    this.workers = new Map();
    this.holders = new Map();
    this.lengths = new Map(s.lengths);
    for (const w of s.workers) {
      this.workers.set(w.id, {
        id: w.id, instanceId: w.instanceId ?? '', uid: w.uid ?? -1, tierPaths: [...(w.tierPaths ?? [])], address: w.address, host: w.host,
        tiers: w.tiers.map((t) => ({ ...t })), lastHeartbeatMs: w.lastHeartbeatMs, blocks: new Map(w.blocks),
      });
      for (const [b] of w.blocks) {
        const set = this.holders.get(b) ?? new Set<string>();
        set.add(w.id);
        this.holders.set(b, set);
      }
    }
  }

  private addBlock(w: WorkerRecord, b: CachedBlockRef): void {
    w.blocks.set(b.blockId, b.tier);
    const set = this.holders.get(b.blockId) ?? new Set<string>();
    set.add(w.id);
    this.holders.set(b.blockId, set);
    this.lengths.set(b.blockId, b.length);
  }

  private removeBlock(w: WorkerRecord, blockId: string): void {
    if (!w.blocks.delete(blockId)) return;
    const set = this.holders.get(blockId);
    set?.delete(w.id);
    if (!set || set.size === 0) {
      this.holders.delete(blockId);
      this.lengths.delete(blockId);
    }
  }

  private drop(id: string): void {
    const w = this.workers.get(id);
    if (!w) return;
    for (const b of [...w.blocks.keys()]) this.removeBlock(w, b);
    this.workers.delete(id);
  }
}

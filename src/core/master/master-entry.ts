// The master's journal entries. EVERY change to the namespace, the block map or the worker registry
// is one of these, applied by MasterStateMachine.apply(). Entries are plain JSON (they are written to
// the journal and replicated by Raft) and carry their own timestamps: applying the same entries in
// the same order always yields the same state.
import type { CachedBlockRef, TierUsage } from '../../api/engine-rpc.js';

/** One namespace entry as listed from a UFS (name = base name). */
import type { NsNode } from './node-store.js';

export interface NsEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory';
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
}

export type MasterEntry =
  /** Sets the mount table (at start, from the config). Mounts no longer present lose their tree. */
  | { readonly type: 'mounts.set'; readonly mounts: readonly { readonly name: string; readonly ufs: string; readonly path?: string }[] }
  /** The full listing of one directory: replaces its children (removed children lose their subtree). */
  | { readonly type: 'ns.listed'; readonly mount: string; readonly path: string; readonly children: readonly NsEntry[]; readonly atMs: number }
  /** The stat of one path; `entry: null` = it no longer exists. */
  | { readonly type: 'ns.stat'; readonly mount: string; readonly path: string; readonly entry: NsEntry | null; readonly atMs: number }
  /**
   * A worker's full report: replaces everything known about it, unless another instance of the same
   * worker id holds a live lease (see WorkerRegistry.admit); `leaseMs` is the master's worker timeout
   * at proposal time, carried in the entry so every replica decides the same.
   */
  | {
    readonly type: 'worker.register'; readonly workerId: string; readonly instanceId: string; readonly address: string; readonly host: string;
    readonly uid: number; readonly tierPaths: readonly string[];
    readonly tiers: readonly TierUsage[]; readonly blocks: readonly CachedBlockRef[]; readonly atMs: number; readonly leaseMs: number;
  }
  /** A worker's heartbeat with the block changes since the previous one; counts only from the registered instance. */
  | {
    readonly type: 'worker.heartbeat'; readonly workerId: string; readonly instanceId: string; readonly tiers: readonly TierUsage[];
    readonly added: readonly CachedBlockRef[]; readonly removed: readonly string[]; readonly atMs: number;
  }
  /**
   * Replaces the trees of these mounts with the nodes of a metadata backup (Dataset
   * spec.dataRestoreLocation): the master starts from them instead of listing the UFS. Mounts not in
   * the mount table are ignored. Checked before proposing (core/master/metadata-restore.ts).
   */
  | { readonly type: 'ns.restore'; readonly mounts: readonly { readonly name: string; readonly nodes: readonly (readonly [string, NsNode])[] }[] }
  /** Drops every worker whose last heartbeat is older than nowMs - timeoutMs, with its blocks. */
  | { readonly type: 'worker.expire'; readonly nowMs: number; readonly timeoutMs: number };

export type MasterEntryType = MasterEntry['type'];

/** What apply() returns, per entry type. */
export type MasterEntryResult =
  | { readonly type: 'ok' }
  /** worker.register refused: `holder` is the live registration that keeps the id until `leaseEndsMs`. */
  | { readonly type: 'refused'; readonly holder: { readonly instanceId: string; readonly address: string }; readonly leaseEndsMs: number }
  | { readonly type: 'heartbeat'; readonly command: 'ok' | 'register' }
  | { readonly type: 'expired'; readonly workerIds: readonly string[] };

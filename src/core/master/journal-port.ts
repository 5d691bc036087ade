// The port through which the master process changes its state. The master never mutates its
// state machine directly: it proposes an entry and awaits the result of applying it.
//
// Implementations:
//  - InProcessJournal (here): applies at once, in memory. Single master, no persistence.
//  - the persistent journal and the Raft journal (src/core/journal, src/adapters/journal) wrap the same
//    MasterStateMachine: append/replicate the entry, then apply it on every member in log order,
//    snapshot() for compaction and restore() on restart/install.
import type { MasterEntry, MasterEntryResult } from './master-entry.js';

export interface Journal {
  /**
   * Appends `entry` and resolves with the result of applying it once it is committed.
   * Rejects with NotLeaderError on a follower (the caller must retry on the leader).
   * `requestId` (the client's x-request-id) makes a retried mutation apply at most once: the
   * persistent journals keep a bounded table of applied ids in the replicated state.
   */
  propose(entry: MasterEntry, requestId?: string): Promise<MasterEntryResult>;
  /**
   * Resolves once this master may serve a linearizable read (the Raft journal confirms it is
   * still the leader via ReadIndex); rejects with NotLeaderError otherwise. Absent = always.
   */
  readBarrier?(): Promise<void>;
  /** The leader's master id, or null while unknown (election in progress). */
  leaderId(): string | null;
  /** True when this process may serve reads and propose (it is the leader and has applied its log). */
  isLeader(): boolean;
}

/** The state machine behind a journal (MasterStateMachine implements it). */
export interface ReplicatedStateMachine<E, R, S> {
  apply(entry: E): R;
  snapshot(): S;
  restore(snapshot: S): void;
}

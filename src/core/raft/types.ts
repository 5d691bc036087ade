// Data types of the pure Raft core. Node ids are small positive integers (1..n); 0 means "none".
// Indexes and terms are positive integers; index 0 / term 0 denote the empty log.

/** One log entry. `data === ''` is the no-op entry a new leader appends to commit its term. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly data: string;
}

/** State machine image covering every entry up to and including `index` (whose term is `term`). */
export interface Snapshot {
  readonly index: number;
  readonly term: number;
  /** Opaque application state. */
  readonly data: Uint8Array;
}

/** What must be persisted (fsync'd) before any message of the same Ready is sent. */
export interface HardState {
  readonly term: number;
  /** Candidate voted for in `term`, 0 if none. */
  readonly vote: number;
  /** Highest index known committed. Persisting it is optional for safety but shortens restart. */
  readonly commit: number;
}

export type StateType = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state useful to the driver (not persisted). */
export interface SoftState {
  /** Known leader, 0 if unknown. */
  readonly lead: number;
  readonly state: StateType;
}

export type MessageType =
  | 'PreVote' | 'PreVoteResp'
  | 'Vote' | 'VoteResp'
  | 'App' | 'AppResp'
  | 'Heartbeat' | 'HeartbeatResp'
  | 'Snap';

/**
 * A message between peers. Field use by type (as in the Raft paper):
 * - PreVote/Vote: `term` = campaign term, `index`/`logTerm` = candidate's last entry.
 * - App: `index`/`logTerm` = entry preceding `entries`; `commit` = leader commit.
 * - AppResp: `index` = highest matching index on success; on reject `index` = the rejected
 *   prev index, `rejectHint` = follower's suggested probe index, `logTerm` = its term there.
 * - Heartbeat/HeartbeatResp: `commit`, and `context` echoed back (ReadIndex round id).
 * - Snap: `snapshot`.
 */
export interface Message {
  readonly type: MessageType;
  readonly from: number;
  readonly to: number;
  readonly term: number;
  readonly logTerm: number;
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly reject: boolean;
  readonly rejectHint: number;
  readonly snapshot?: Snapshot;
  /** Opaque ReadIndex request context ('' if none). */
  readonly context: string;
}

/** A linearizable read point: once `index` is applied, a read for `context` may be served. */
export interface ReadState {
  readonly index: number;
  readonly context: string;
}

/**
 * Work handed to the driver. The driver MUST, in this order:
 * 1. persist `snapshot` (if any), then `entries` (replacing any stored entries at or after the
 *    first one's index), then `hardState` (if any) — durably;
 * 2. send `messages`;
 * 3. apply `snapshot` then `committedEntries` to the state machine, and serve `readStates` once
 *    their index is applied;
 * 4. call `advance(ready)`.
 */
export interface Ready {
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
}

export const emptyHardState: HardState = { term: 0, vote: 0, commit: 0 };

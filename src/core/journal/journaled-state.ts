// The replicated state behind every journal: the application's state machine plus the dedup
// table, driven by JournalRecords. Single-master and Raft journals both apply records through
// this class, and both checkpoint its snapshot, so exactly-once survives restarts and failovers.
import type { ReplicatedStateMachine } from '../master/journal-port.js';
import { DedupTable, type DedupSnapshot } from './dedup-table.js';
import { JournalFormatError } from './journal-errors.js';

/** One journal entry: the application entry and, for retryable client calls, its request id. */
export interface JournalRecord<E> {
  readonly entry: E;
  readonly requestId?: string;
}

export interface JournaledSnapshot<S, R> {
  readonly version: 1;
  readonly state: S;
  readonly dedup: DedupSnapshot<R>;
}

export const DEFAULT_DEDUP_CAPACITY = 100_000;

export class JournaledState<E, R, S> {
  private readonly dedup: DedupTable<R>;

  constructor(readonly sm: ReplicatedStateMachine<E, R, S>, dedupCapacity = DEFAULT_DEDUP_CAPACITY) {
    this.dedup = new DedupTable<R>(dedupCapacity);
  }

  /** Applies a record; a request id seen before returns the first result and changes nothing. */
  apply(rec: JournalRecord<E>): R {
    if (rec.requestId !== undefined) {
      const prior = this.dedup.get(rec.requestId);
      if (prior !== undefined || this.dedup.has(rec.requestId)) return prior as R;
    }
    const r = this.sm.apply(rec.entry);
    if (rec.requestId !== undefined) this.dedup.record(rec.requestId, r);
    return r;
  }

  /** True if a mutation with this request id has already been applied (and is remembered). */
  seen(requestId: string): boolean {
    return this.dedup.has(requestId);
  }

  snapshot(): JournaledSnapshot<S, R> {
    return { version: 1, state: this.sm.snapshot(), dedup: this.dedup.snapshot() };
  }

  restore(s: JournaledSnapshot<S, R>): void {
    if (s.version !== 1) throw new JournalFormatError(`unsupported journal snapshot version ${String(s.version)}`);
    this.sm.restore(s.state);
    this.dedup.restore(s.dedup);
  }
}

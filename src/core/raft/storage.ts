// Storage ports of the Raft core, split as the core uses them: the log (read by the core to
// build replication messages; written only by the driver from Ready) and the hard state
// (read once at start). Implementations: memory-storage.ts (tests), the file journal adapter.
import type { Entry, HardState, Snapshot } from './types.js';

/**
 * The stable (persisted) log. Invariant: it holds a snapshot at `firstIndex() - 1` (possibly the
 * empty snapshot at index 0) followed by contiguous entries `firstIndex() .. lastIndex()`.
 */
export interface LogStorage {
  /** Index of the first available entry (snapshot index + 1). */
  firstIndex(): number;
  /** Index of the last entry, or the snapshot index when there are no entries. */
  lastIndex(): number;
  /**
   * Term of entry `index` for `firstIndex()-1 <= index <= lastIndex()`; `undefined` outside
   * (compacted or not yet written).
   */
  term(index: number): number | undefined;
  /** Entries in [lo, hi), lo >= firstIndex(), hi <= lastIndex()+1, at most `maxEntries` of them. */
  entries(lo: number, hi: number, maxEntries: number): Entry[];
  /** The latest snapshot (index 0 when none has been taken). */
  snapshot(): Snapshot;
}

export interface StateStorage {
  hardState(): HardState;
}

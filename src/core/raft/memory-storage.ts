// In-memory LogStorage + StateStorage, for tests and simulation. Writes mirror what a durable
// driver does with a Ready; a "crash" keeps exactly what was written here.
import { assert } from '../errors.js';
import type { LogStorage, StateStorage } from './storage.js';
import type { Entry, HardState, Snapshot } from './types.js';
import { emptyHardState } from './types.js';

export class MemoryStorage implements LogStorage, StateStorage {
  private hs: HardState = emptyHardState;
  private snap: Snapshot = { index: 0, term: 0, data: new Uint8Array() };
  /** ents[i] has index snap.index + 1 + i. */
  private ents: Entry[] = [];

  hardState(): HardState { return this.hs; }
  setHardState(hs: HardState): void { this.hs = hs; }

  firstIndex(): number { return this.snap.index + 1; }
  lastIndex(): number { return this.snap.index + this.ents.length; }

  term(index: number): number | undefined {
    if (index === this.snap.index) return this.snap.term;
    if (index < this.snap.index || index > this.lastIndex()) return undefined;
    return this.ents[index - this.snap.index - 1]?.term;
  }

  entries(lo: number, hi: number, maxEntries: number): Entry[] {
    assert(lo >= this.firstIndex() && hi <= this.lastIndex() + 1, `entries [${lo},${hi}) out of range`);
    const off = this.snap.index + 1;
    return this.ents.slice(lo - off, Math.min(hi, lo + maxEntries) - off);
  }

  snapshot(): Snapshot { return this.snap; }

  /** Appends entries, replacing any stored entries at or after the first one's index. */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    assert(first.index <= this.lastIndex() + 1, `gap: appending ${first.index} after ${this.lastIndex()}`);
    if (first.index <= this.snap.index) {
      // Entries already covered by the snapshot are skipped.
      this.append(entries.filter((e) => e.index > this.snap.index));
      return;
    }
    this.ents.length = first.index - this.snap.index - 1;
    for (const e of entries) this.ents.push(e);
  }

  /** Installs a snapshot received from the leader; discards the whole log. */
  applySnapshot(s: Snapshot): void {
    if (s.index <= this.snap.index) return;
    this.snap = s;
    this.ents = [];
  }

  /**
   * Records a locally taken snapshot at `index` (<= applied) and drops the entries it covers.
   */
  compact(index: number, data: Uint8Array): void {
    if (index <= this.snap.index) return;
    const term = this.term(index);
    assert(term !== undefined, `compact to ${index} beyond last index ${this.lastIndex()}`);
    this.ents = this.ents.slice(index - this.snap.index);
    this.snap = { index, term, data };
  }
}

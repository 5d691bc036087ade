// The Raft log as the core sees it: the stable part (LogStorage, written by the driver) plus an
// unstable tail (entries and possibly a snapshot handed out in Ready but not yet persisted).
// Invariant: unstable.entries[i].index === unstable.offset + i, and offset <= storage.lastIndex()+1
// unless an unstable snapshot replaces the stable log.
import { assert } from '../../errors.js';
import type { LogStorage } from '../storage.js';
import type { Entry, Snapshot } from '../types.js';

export class RaftLog {
  private unstableSnap: Snapshot | undefined;
  private unstableEntries: Entry[] = [];
  private offset: number;
  committed: number;
  applied: number;

  constructor(private readonly storage: LogStorage) {
    this.offset = storage.lastIndex() + 1;
    this.committed = storage.firstIndex() - 1;
    this.applied = storage.firstIndex() - 1;
  }

  firstIndex(): number {
    return this.unstableSnap ? this.unstableSnap.index + 1 : this.storage.firstIndex();
  }

  lastIndex(): number {
    if (this.unstableEntries.length > 0) return this.offset + this.unstableEntries.length - 1;
    if (this.unstableSnap) return this.unstableSnap.index;
    return this.storage.lastIndex();
  }

  /** Term at `index`, or undefined when compacted away or beyond the end. */
  term(index: number): number | undefined {
    if (index === 0) return 0;
    const dummy = this.firstIndex() - 1;
    if (index < dummy || index > this.lastIndex()) return undefined;
    if (this.unstableSnap && index === this.unstableSnap.index) return this.unstableSnap.term;
    if (index >= this.offset) return this.unstableEntries[index - this.offset]?.term;
    return this.storage.term(index);
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    assert(t !== undefined, 'last term must exist');
    return t;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** True if a candidate with last entry (term, index) is at least as up to date as us. */
  isUpToDate(index: number, term: number): boolean {
    const lt = this.lastTerm();
    return term > lt || (term === lt && index >= this.lastIndex());
  }

  /** Entries in [lo, hi) (at most maxEntries), or undefined if lo is compacted. */
  slice(lo: number, hi: number, maxEntries: number): Entry[] | undefined {
    if (lo < this.firstIndex()) return undefined;
    hi = Math.min(hi, this.lastIndex() + 1, lo + maxEntries);
    if (lo >= hi) return [];
    const out: Entry[] = [];
    if (lo < this.offset) {
      out.push(...this.storage.entries(lo, Math.min(hi, this.offset), maxEntries));
    }
    if (hi > this.offset) {
      out.push(...this.unstableEntries.slice(Math.max(lo, this.offset) - this.offset, hi - this.offset));
    }
    return out;
  }

  /** Appends entries, truncating any existing suffix that starts at the first entry's index. */
  append(ents: readonly Entry[]): void {
    const first = ents[0];
    if (first === undefined) return;
    assert(first.index > this.committed, `cannot overwrite committed entry ${first.index} (committed ${this.committed})`);
    if (first.index === this.offset + this.unstableEntries.length) {
      this.unstableEntries.push(...ents);
    } else if (first.index <= this.offset) {
      // Replaces the whole unstable tail (and stable entries from first.index on).
      this.offset = first.index;
      this.unstableEntries = [...ents];
    } else {
      this.unstableEntries = this.unstableEntries.slice(0, first.index - this.offset);
      this.unstableEntries.push(...ents);
    }
  }

  /**
   * Follower append (App message): if our log has (prevIndex, prevTerm), append the new entries
   * after dropping the first conflicting suffix. Returns the last new index, or undefined on mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + ents.length;
    let conflictAt = -1;
    for (let i = 0; i < ents.length; i++) {
      const e = ents[i]!;
      if (!this.matchTerm(e.index, e.term)) { conflictAt = i; break; }
    }
    if (conflictAt >= 0) {
      const e = ents[conflictAt]!;
      assert(e.index > this.committed, `entry ${e.index} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(conflictAt));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  commitTo(index: number): void {
    if (index > this.committed) {
      assert(index <= this.lastIndex(), `commit ${index} beyond last index ${this.lastIndex()}`);
      this.committed = index;
    }
  }

  /**
   * Largest index <= `index` whose term is <= `term` (used to skip a whole conflicting term when
   * a follower rejects an append).
   */
  findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.lastIndex());
    for (;;) {
      const t = this.term(i);
      if (t === undefined || t <= term) return i;
      i--;
    }
  }

  /** Latest snapshot (unstable one first). */
  snapshot(): Snapshot {
    return this.unstableSnap ?? this.storage.snapshot();
  }

  /** Replaces the log with a snapshot received from the leader. */
  restore(s: Snapshot): void {
    this.committed = s.index;
    this.unstableSnap = s;
    this.offset = s.index + 1;
    this.unstableEntries = [];
  }

  unstable(): { entries: readonly Entry[]; snapshot: Snapshot | undefined } {
    return { entries: this.unstableEntries, snapshot: this.unstableSnap };
  }

  /** Committed entries not yet applied (after any unstable snapshot). */
  nextCommitted(maxEntries: number): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed < lo) return [];
    return this.slice(lo, this.committed + 1, maxEntries) ?? [];
  }

  hasNextCommitted(): boolean {
    return this.committed > Math.max(this.applied, this.firstIndex() - 1);
  }

  appliedTo(index: number): void {
    if (index > this.applied) this.applied = index;
  }

  /** The driver persisted entries up to (index, term): they leave the unstable tail. */
  stableTo(index: number, term: number): void {
    if (this.term(index) !== term || index < this.offset) return;
    this.unstableEntries = this.unstableEntries.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  stableSnapTo(index: number): void {
    if (this.unstableSnap && this.unstableSnap.index === index) this.unstableSnap = undefined;
  }
}

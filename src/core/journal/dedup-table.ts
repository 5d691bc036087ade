// Exactly-once support kept INSIDE the replicated state: the results of the most recent
// `capacity` mutations that carried a client request id. A retried mutation (same id) gets the
// recorded result instead of being applied again. Eviction is FIFO in apply order, so every
// replica evicts the same ids at the same point.

export interface DedupSnapshot<R> {
  readonly capacity: number;
  /** Oldest first. */
  readonly entries: readonly (readonly [string, R])[];
}

export class DedupTable<R> {
  private readonly results = new Map<string, R>();

  constructor(private readonly capacity: number) {}

  get(requestId: string): R | undefined {
    return this.results.get(requestId);
  }

  has(requestId: string): boolean {
    return this.results.has(requestId);
  }

  record(requestId: string, result: R): void {
    this.results.set(requestId, result);
    while (this.results.size > this.capacity) {
      const oldest = this.results.keys().next();
      if (oldest.done === true) break;
      this.results.delete(oldest.value);
    }
  }

  get size(): number {
    return this.results.size;
  }

  snapshot(): DedupSnapshot<R> {
    return { capacity: this.capacity, entries: [...this.results.entries()] };
  }

  restore(s: DedupSnapshot<R>): void {
    this.results.clear();
    for (const [k, v] of s.entries) this.results.set(k, v);
  }
}

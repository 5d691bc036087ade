// A bounded in-memory LRU of byte chunks with single-flight fetching: concurrent requests for
// one key share one fetch; a failed fetch is not cached. Capacity is counted in bytes.

export class ChunkCache {
  private readonly chunks = new Map<string, Uint8Array>();
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  has(key: string): boolean {
    return this.chunks.has(key) || this.inflight.has(key);
  }

  /** Returns the cached chunk (`hit` true) or fetches it. */
  async get(key: string, fetch: () => Promise<Uint8Array>): Promise<{ data: Uint8Array; hit: boolean }> {
    const hit = this.chunks.get(key);
    if (hit) {
      this.chunks.delete(key);
      this.chunks.set(key, hit);
      return { data: hit, hit: true };
    }
    let p = this.inflight.get(key);
    const shared = p !== undefined;
    if (!p) {
      p = fetch().then((data) => {
        this.insert(key, data);
        return data;
      }).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return { data: await p, hit: shared };
  }

  clear(): void {
    this.chunks.clear();
    this.bytes = 0;
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight.values()]);
  }

  private insert(key: string, data: Uint8Array): void {
    if (data.length > this.maxBytes) return;
    this.chunks.set(key, data);
    this.bytes += data.length;
    while (this.bytes > this.maxBytes) {
      const oldest = this.chunks.entries().next();
      if (oldest.done === true) break;
      this.chunks.delete(oldest.value[0]);
      this.bytes -= oldest.value[1].length;
    }
  }
}

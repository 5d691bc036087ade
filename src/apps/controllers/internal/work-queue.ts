// A keyed work queue ("ns/name"): a key is queued at most once, processed by at most one worker
// at a time, and re-queued after a delay (requeueAfter) or with per-key exponential backoff
// after a failure (rate-limited requeue). A key changed while being processed runs again.
import { backoffDelay, type BackoffOptions } from '../../../core/reconcile/backoff.js';

export type ReconcileResult = { readonly requeueAfterMs?: number } | void;

export interface WorkQueueOptions {
  readonly concurrency: number;
  readonly backoff: BackoffOptions;
  /** Called with every failure; the queue retries the key itself. */
  readonly onError: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly order: string[] = [];
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private running = 0;
  private stopped = false;
  private idle: (() => void) | undefined;

  constructor(private readonly reconcile: (key: string) => Promise<ReconcileResult>, private readonly opts: WorkQueueOptions) {}

  add(key: string): void {
    if (this.stopped) return;
    const t = this.timers.get(key);
    if (t) {
      clearTimeout(t);
      this.timers.delete(key);
    }
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.order.push(key);
    this.pump();
  }

  /** Adds `key` after `ms` unless it is added sooner. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (this.timers.has(key) || this.queued.has(key)) return;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.order.length = 0;
    this.queued.clear();
    if (this.running > 0) await new Promise<void>((r) => { this.idle = r; });
  }

  private pump(): void {
    while (!this.stopped && this.running < this.opts.concurrency) {
      const idx = this.order.findIndex((k) => !this.active.has(k));
      if (idx < 0) return;
      const [key] = this.order.splice(idx, 1);
      if (key === undefined) return;
      this.queued.delete(key);
      this.active.add(key);
      this.running++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    let again: number | undefined;
    try {
      const r = await this.reconcile(key);
      this.failures.delete(key);
      again = r && r.requeueAfterMs !== undefined ? r.requeueAfterMs : undefined;
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.opts.onError(key, err);
      again = backoffDelay(n, this.opts.backoff);
    } finally {
      this.active.delete(key);
      this.running--;
    }
    if (this.dirty.delete(key)) this.add(key);
    else if (again !== undefined) this.addAfter(key, again);
    if (this.stopped && this.running === 0) this.idle?.();
    this.pump();
  }
}

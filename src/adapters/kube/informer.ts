// List + watch with periodic resync: keeps an up-to-date cache of one resource collection and
// tells the controller which keys changed. Reconnects after errors (with backoff); a 410 Gone
// relists. Resync re-announces every cached key so level-triggered reconcilers catch up with
// anything they missed (and re-run periodic work).
import type { KubeClient, ListOptions, ResourceType } from './kube-client.js';
import { KubeWatchExpiredError } from './kube-errors.js';
import { backoffDelay } from '../../core/reconcile/backoff.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';

export function keyOf(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export interface InformerOptions {
  readonly resyncMs: number;
  readonly list?: ListOptions;
  readonly log: (msg: string) => void;
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private synced = false;
  private readonly handlers: ((key: string, obj: T | undefined, old: T | undefined) => void)[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private syncWaiters: (() => void)[] = [];

  constructor(private readonly client: KubeClient, readonly resource: ResourceType, private readonly opts: InformerOptions) {}

  /** `fn(key, current, previous)`: current is undefined after a delete. */
  onChange(fn: (key: string, obj: T | undefined, old: T | undefined) => void): void {
    this.handlers.push(fn);
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  async waitForSync(): Promise<void> {
    if (this.synced) return;
    await new Promise<void>((r) => this.syncWaiters.push(r));
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.resyncTimer = setInterval(() => {
      for (const [k, v] of this.cache) this.emit(k, v, v);
    }, this.opts.resyncMs);
    let failures = 0;
    try {
      while (!signal.aborted) {
        try {
          const { items, resourceVersion } = await this.client.list<T>(this.resource, undefined, this.opts.list);
          this.replaceAll(items);
          failures = 0;
          let rv = resourceVersion;
          while (!signal.aborted) {
            await this.client.watch<T>(this.resource, undefined, rv, (e) => {
              const obj = e.object;
              if (obj.metadata.resourceVersion) rv = obj.metadata.resourceVersion;
              if (e.type === 'BOOKMARK') return;
              const key = keyOf(obj);
              const old = this.cache.get(key);
              if (e.type === 'DELETED') {
                this.cache.delete(key);
                this.emit(key, undefined, old);
              } else {
                this.cache.set(key, obj);
                this.emit(key, obj, old);
              }
            }, signal, this.opts.list);
          }
        } catch (err) {
          if (signal.aborted) break;
          if (!(err instanceof KubeWatchExpiredError)) {
            failures++;
            this.opts.log(`informer ${this.resource.plural}: ${err instanceof Error ? err.message : String(err)}`);
            await sleep(backoffDelay(failures, { baseMs: 200, maxMs: 5_000 }), signal);
          }
        }
      }
    } finally {
      clearInterval(this.resyncTimer);
    }
  }

  private replaceAll(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      this.emit(key, obj, old);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit(key, undefined, old);
      }
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private emit(key: string, obj: T | undefined, old: T | undefined): void {
    for (const h of this.handlers) h(key, obj, old);
  }
}

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  // The abort listener is removed when the timer fires: a long-lived signal would otherwise
  // collect one listener per sleep (MaxListenersExceededWarning).
  await new Promise<void>((resolve) => {
    const onAbort = (): void => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

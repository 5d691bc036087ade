// Background deletion: ownerReference garbage collection, foreground-deletion finalizers and
// terminating namespaces. One pass is idempotent and safe to repeat after a crash, because
// it derives everything from stored state:
//  1. a dependent whose owners are all gone (no object with that uid) is deleted; one whose
//     owner is being deleted in the foreground is deleted too;
//  2. an owner in foreground deletion loses its `foregroundDeletion` finalizer once no
//     dependent refers to it (and is then removed if no other finalizer remains);
//  3. a terminating namespace has its contents deleted and is removed once empty.
// Passes run after each DELETED change (coalesced) and on a slow timer.
import type { ObjectStore } from '../store/object-store.js';
import type { Logger } from './logger.js';
import { finalizersOf, ownerRefsOf } from './object-meta.js';
import { FOREGROUND_FINALIZER, type ResourceService } from './resource-service.js';
import { ApiError } from './status-errors.js';

export class GarbageCollector {
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly service: ResourceService,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(intervalMs = 2000): void {
    this.unsubscribe = this.store.subscribe((c) => {
      if (c.type === 'DELETED' || typeof c.object.metadata.deletionTimestamp === 'string') this.schedule();
    });
    this.timer = setInterval(() => this.schedule(), intervalMs);
    this.schedule();
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.runOnce();
      } catch (err) {
        this.log.error('garbage collection pass failed', { error: err instanceof Error ? err.message : String(err) });
      }
    });
  }

  /** One full pass; returns how many objects it deleted or changed. */
  runOnce(): number {
    const ctx = { now: this.clock(), fieldValidation: 'Ignore' as const, dryRun: false, warnings: [] };
    let changed = 0;
    const terminating = this.store.listTerminating();
    const foregroundOwners = new Set(terminating.filter(({ object }) => finalizersOf(object).includes(FOREGROUND_FINALIZER)).map(({ object }) => String(object.metadata.uid)));
    for (const { key, object } of this.store.listOwned()) {
      const refs = ownerRefsOf(object);
      const ownersGone = refs.every((r) => !this.store.uidExists(r.uid));
      const foreground = refs.some((r) => foregroundOwners.has(r.uid));
      if (!ownersGone && !foreground) continue;
      if (typeof object.metadata.deletionTimestamp === 'string') continue;
      const def = this.service.registry.findResource(key.group, key.resource);
      if (!def) continue;
      try {
        this.service.delete(def, key.namespace, key.name, { propagationPolicy: foreground ? 'Foreground' : 'Background' }, ctx);
        changed++;
        this.log.info('garbage-collected dependent', { resource: key.resource, namespace: key.namespace, name: key.name });
      } catch (err) {
        if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
      }
    }
    for (const { key, object } of this.store.listTerminating()) {
      const def = this.service.registry.findResource(key.group, key.resource);
      if (!def) continue;
      const fins = finalizersOf(object);
      if (fins.includes(FOREGROUND_FINALIZER) && !this.service.hasDependents(String(object.metadata.uid))) {
        const rest = fins.filter((f) => f !== FOREGROUND_FINALIZER);
        const metadata = { ...object.metadata };
        if (rest.length > 0) metadata.finalizers = rest;
        else delete metadata.finalizers;
        this.service.writeInternal(def, { ...object, metadata });
        changed++;
      } else if (def.group === '' && def.kind === 'Namespace') {
        if (this.service.finishNamespace(object, ctx).gone) changed++;
      }
    }
    return changed;
  }
}

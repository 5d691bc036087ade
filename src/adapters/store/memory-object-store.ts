// In-memory ObjectStore with the same semantics as the SQLite one (global resourceVersion,
// bounded change log, typed errors), for unit tests of the API semantics. Not durable.
import {
  StoreConflictError, StoreExistsError, StoreNotFoundError, StoreTooOldError,
  type Change, type ChangeType, type KubeObject, type ObjectKey, type ObjectStore,
} from './object-store.js';

const id = (k: ObjectKey): string => `${k.group}\u0000${k.resource}\u0000${k.namespace}\u0000${k.name}`;

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, { key: ObjectKey; object: KubeObject }>();
  private readonly log: Change[] = [];
  private readonly listeners = new Set<(c: Change) => void>();
  private rv = 0;
  private compactedRv = 0;

  constructor(private readonly retainChanges = 10_000) {}

  currentRv(): number { return this.rv; }

  get(key: ObjectKey): KubeObject | undefined {
    const o = this.objects.get(id(key));
    return o ? structuredClone(o.object) : undefined;
  }

  private all(): { key: ObjectKey; object: KubeObject }[] {
    return [...this.objects.values()]
      .sort((a, b) => (a.key.namespace + '/' + a.key.name).localeCompare(b.key.namespace + '/' + b.key.name))
      .map((e) => ({ key: e.key, object: structuredClone(e.object) }));
  }

  list(group: string, resource: string, namespace?: string): KubeObject[] {
    return this.all().filter((e) => e.key.group === group && e.key.resource === resource && (namespace === undefined || e.key.namespace === namespace)).map((e) => e.object);
  }

  listAt(group: string, resource: string, namespace: string | undefined, rv: number): KubeObject[] {
    if (rv >= this.rv) return this.list(group, resource, namespace);
    if (rv < this.compactedRv) throw new StoreTooOldError(`too old resource version: ${rv} (${this.compactedRv + 1})`);
    const inScope = (k: ObjectKey): boolean => k.group === group && k.resource === resource && (namespace === undefined || k.namespace === namespace);
    const state = new Map(this.all().filter((e) => inScope(e.key)).map((e) => [id(e.key), e.object]));
    const seen = new Set<string>();
    // The first change after `rv` of each object tells what it was at `rv`: nothing before an ADDED, `previous` otherwise.
    for (const c of this.log) {
      if (c.rv <= rv || !inScope(c.key) || seen.has(id(c.key))) continue;
      seen.add(id(c.key));
      if (c.type === 'ADDED' || c.previous === undefined) state.delete(id(c.key));
      else state.set(id(c.key), structuredClone(c.previous));
    }
    return [...state.values()];
  }

  listInNamespace(namespace: string): { key: ObjectKey; object: KubeObject }[] {
    return this.all().filter((e) => e.key.namespace === namespace);
  }

  listOwned(): { key: ObjectKey; object: KubeObject }[] {
    return this.all().filter((e) => Array.isArray(e.object.metadata.ownerReferences) && e.object.metadata.ownerReferences.length > 0);
  }

  listTerminating(): { key: ObjectKey; object: KubeObject }[] {
    return this.all().filter((e) => typeof e.object.metadata.deletionTimestamp === 'string');
  }

  countByResource(): { group: string; resource: string; count: number }[] {
    const counts = new Map<string, { group: string; resource: string; count: number }>();
    for (const { key } of this.objects.values()) {
      const k = `${key.group}/${key.resource}`;
      const c = counts.get(k) ?? { group: key.group, resource: key.resource, count: 0 };
      c.count++;
      counts.set(k, c);
    }
    return [...counts.values()];
  }

  uidExists(uid: string): boolean {
    return [...this.objects.values()].some((e) => e.object.metadata.uid === uid);
  }

  create(key: ObjectKey, obj: KubeObject): KubeObject {
    if (this.objects.has(id(key))) throw new StoreExistsError(`${key.resource} "${key.name}" already exists`);
    return this.write('ADDED', key, obj);
  }

  update(key: ObjectKey, obj: KubeObject, expectedRv?: string): KubeObject {
    this.check(key, expectedRv);
    return this.write('MODIFIED', key, obj);
  }

  delete(key: ObjectKey, last: KubeObject, expectedRv?: string): KubeObject {
    this.check(key, expectedRv);
    return this.write('DELETED', key, last);
  }

  private check(key: ObjectKey, expectedRv: string | undefined): void {
    const cur = this.objects.get(id(key));
    if (!cur) throw new StoreNotFoundError(`${key.resource} "${key.name}" not found`);
    if (expectedRv !== undefined && cur.object.metadata.resourceVersion !== expectedRv) {
      throw new StoreConflictError(`${key.resource} "${key.name}": resourceVersion ${expectedRv} is stale`);
    }
  }

  private write(type: ChangeType, key: ObjectKey, obj: KubeObject): KubeObject {
    const previous = this.objects.get(id(key))?.object;
    const rv = ++this.rv;
    const stored: KubeObject = structuredClone({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });
    if (type === 'DELETED') this.objects.delete(id(key));
    else this.objects.set(id(key), { key, object: stored });
    const change: Change = { rv, type, key, object: structuredClone(stored), ...(previous ? { previous: structuredClone(previous) } : {}) };
    this.log.push(change);
    while (this.log.length > this.retainChanges) this.compactedRv = this.log.shift()?.rv ?? this.compactedRv;
    for (const l of [...this.listeners]) l(change);
    return structuredClone(stored);
  }

  changesSince(afterRv: number): Change[] {
    if (afterRv < this.compactedRv) throw new StoreTooOldError(`too old resource version: ${afterRv} (${this.compactedRv + 1})`);
    return this.log.filter((c) => c.rv > afterRv);
  }

  subscribe(listener: (c: Change) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  close(): void {
    this.listeners.clear();
  }
}

// SQLite implementation of ObjectStore (better-sqlite3, synchronous). Durability: WAL mode with
// synchronous=FULL, and every mutation (object row + change-log row + rv counter) in one
// transaction, so after a crash each object is either fully present or absent and every
// acknowledged write survives. The change log keeps the last `retainChanges` entries; older
// ones are compacted and a watch from before them gets StoreTooOldError.
//
// Files: the database, -wal and -shm are 0600 (SQLite gives the -wal and -shm it creates the
// database file's mode; files left by an older version are chmod-ed on open).
// Sensitive resources (`sensitive`, e.g. Secrets): their values must not outlive them on disk.
// secure_delete=ON makes SQLite zero deleted and overwritten content; after each write of a
// sensitive object the change-log rows of that object keep only apiVersion, kind, type and
// metadata (minus annotations, which may carry a copy of the data), except the newest row of
// a live object, and the WAL is checkpointed with TRUNCATE so no old page image stays in it.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  StoreConflictError, StoreExistsError, StoreNotFoundError, StoreTooOldError,
  type Change, type ChangeType, type KubeObject, type ObjectKey, type ObjectStore,
} from './object-store.js';

export interface SqliteObjectStoreOptions {
  /** Path of the database file (created if missing). */
  readonly path: string;
  /** How many change-log entries to retain for watch (default 10000). */
  readonly retainChanges?: number;
  /** Resources whose history is scrubbed and whose writes are checkpointed (see above). */
  readonly sensitive?: (key: ObjectKey) => boolean;
}

/** The form in which a sensitive object's past states stay in the change log. */
export function redactedHistory(obj: KubeObject): KubeObject {
  const { annotations: _a, managedFields: _m, ...metadata } = obj.metadata;
  return {
    ...(obj.apiVersion !== undefined ? { apiVersion: obj.apiVersion } : {}),
    ...(obj.kind !== undefined ? { kind: obj.kind } : {}),
    ...(obj.type !== undefined ? { type: obj.type } : {}),
    metadata,
  };
}

function makePrivate(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
}

interface ObjectRow { body: string }
interface ChangeRow { rv: number; type: string; grp: string; resource: string; namespace: string; name: string; body: string }

function describe(key: ObjectKey): string {
  return `${key.resource}${key.group ? `.${key.group}` : ''} "${key.namespace ? `${key.namespace}/` : ''}${key.name}"`;
}

export class SqliteObjectStore implements ObjectStore {
  private readonly db: Database.Database;
  private readonly retain: number;
  private readonly listeners = new Set<(c: Change) => void>();
  private rv: number;
  private compactedRv: number;
  private writesSinceCompaction = 0;
  private readonly sensitive: (key: ObjectKey) => boolean;
  /** A TRUNCATE checkpoint was refused (a reader held the WAL): retried after the next write. */
  private checkpointPending = false;

  constructor(opts: SqliteObjectStoreOptions) {
    this.retain = opts.retainChanges ?? 10_000;
    this.sensitive = opts.sensitive ?? ((): boolean => false);
    if (opts.path !== ':memory:') {
      closeSync(openSync(opts.path, 'a', 0o600));
      chmodSync(opts.path, 0o600);
    }
    this.db = new Database(opts.path);
    this.db.pragma('secure_delete = ON');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    if (opts.path !== ':memory:') {
      makePrivate(`${opts.path}-wal`);
      makePrivate(`${opts.path}-shm`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        uid TEXT NOT NULL, rv INTEGER NOT NULL, owned INTEGER NOT NULL, terminating INTEGER NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (grp, resource, namespace, name));
      CREATE INDEX IF NOT EXISTS objects_uid ON objects(uid);
      CREATE INDEX IF NOT EXISTS objects_ns ON objects(namespace);
      CREATE TABLE IF NOT EXISTS changes (
        rv INTEGER PRIMARY KEY, type TEXT NOT NULL, grp TEXT NOT NULL, resource TEXT NOT NULL,
        namespace TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
      INSERT OR IGNORE INTO meta (k, v) VALUES ('rv', 0), ('compacted', 0);
    `);
    this.rv = this.meta('rv');
    this.compactedRv = this.meta('compacted');
  }

  private meta(k: string): number {
    const row = this.db.prepare('SELECT v FROM meta WHERE k = ?').get(k) as { v: number } | undefined;
    return row?.v ?? 0;
  }

  currentRv(): number { return this.rv; }

  get(key: ObjectKey): KubeObject | undefined {
    const row = this.db.prepare('SELECT body FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?')
      .get(key.group, key.resource, key.namespace, key.name) as ObjectRow | undefined;
    return row ? (JSON.parse(row.body) as KubeObject) : undefined;
  }

  list(group: string, resource: string, namespace?: string): KubeObject[] {
    const rows = (namespace === undefined
      ? this.db.prepare('SELECT body FROM objects WHERE grp = ? AND resource = ? ORDER BY namespace, name').all(group, resource)
      : this.db.prepare('SELECT body FROM objects WHERE grp = ? AND resource = ? AND namespace = ? ORDER BY name').all(group, resource, namespace)) as ObjectRow[];
    return rows.map((r) => JSON.parse(r.body) as KubeObject);
  }

  listAt(group: string, resource: string, namespace: string | undefined, rv: number): KubeObject[] {
    return this.db.transaction(() => {
      if (rv >= this.rv) return this.list(group, resource, namespace);
      if (rv < this.compactedRv) throw new StoreTooOldError(`too old resource version: ${rv} (${this.compactedRv + 1})`);
      const k = (ns: string, name: string): string => `${ns}\u0000${name}`;
      const state = new Map<string, KubeObject>();
      const rows = (namespace === undefined
        ? this.db.prepare('SELECT namespace, name, body FROM objects WHERE grp = ? AND resource = ?').all(group, resource)
        : this.db.prepare('SELECT namespace, name, body FROM objects WHERE grp = ? AND resource = ? AND namespace = ?').all(group, resource, namespace)) as { namespace: string; name: string; body: string }[];
      for (const r of rows) state.set(k(r.namespace, r.name), JSON.parse(r.body) as KubeObject);
      const later = (namespace === undefined
        ? this.db.prepare('SELECT namespace, name, type FROM changes WHERE rv > ? AND grp = ? AND resource = ? ORDER BY rv').all(rv, group, resource)
        : this.db.prepare('SELECT namespace, name, type FROM changes WHERE rv > ? AND grp = ? AND resource = ? AND namespace = ? ORDER BY rv').all(rv, group, resource, namespace)) as { namespace: string; name: string; type: string }[];
      const before = this.db.prepare('SELECT type, body FROM changes WHERE grp = ? AND resource = ? AND namespace = ? AND name = ? AND rv <= ? ORDER BY rv DESC LIMIT 1');
      const seen = new Set<string>();
      // The first change after `rv` of each object tells what it was at `rv`: nothing before an
      // ADDED; otherwise the object's newest logged state at or before `rv`, if still retained
      // (and not a scrubbed sensitive one).
      for (const c of later) {
        const id = k(c.namespace, c.name);
        if (seen.has(id)) continue;
        seen.add(id);
        if (c.type === 'ADDED') { state.delete(id); continue; }
        const prior = before.get(group, resource, c.namespace, c.name, rv) as { type: string; body: string } | undefined;
        const key = { group, resource, namespace: c.namespace, name: c.name };
        if (!prior || prior.type === 'DELETED' || this.sensitive(key)) {
          throw new StoreTooOldError(`too old resource version: ${rv}: the state of ${describe(key)} at it is no longer retained`);
        }
        state.set(id, JSON.parse(prior.body) as KubeObject);
      }
      return [...state.values()];
    })();
  }

  listInNamespace(namespace: string): { key: ObjectKey; object: KubeObject }[] {
    const rows = this.db.prepare('SELECT grp, resource, namespace, name, body FROM objects WHERE namespace = ?').all(namespace) as Omit<ChangeRow, 'rv' | 'type'>[];
    return rows.map((r) => ({ key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name }, object: JSON.parse(r.body) as KubeObject }));
  }

  listOwned(): { key: ObjectKey; object: KubeObject }[] {
    const rows = this.db.prepare('SELECT grp, resource, namespace, name, body FROM objects WHERE owned = 1').all() as Omit<ChangeRow, 'rv' | 'type'>[];
    return rows.map((r) => ({ key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name }, object: JSON.parse(r.body) as KubeObject }));
  }

  listTerminating(): { key: ObjectKey; object: KubeObject }[] {
    const rows = this.db.prepare('SELECT grp, resource, namespace, name, body FROM objects WHERE terminating = 1').all() as Omit<ChangeRow, 'rv' | 'type'>[];
    return rows.map((r) => ({ key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name }, object: JSON.parse(r.body) as KubeObject }));
  }

  countByResource(): { group: string; resource: string; count: number }[] {
    return this.db.prepare('SELECT grp AS "group", resource, COUNT(*) AS count FROM objects GROUP BY grp, resource ORDER BY grp, resource').all() as { group: string; resource: string; count: number }[];
  }

  uidExists(uid: string): boolean {
    return this.db.prepare('SELECT 1 FROM objects WHERE uid = ? LIMIT 1').get(uid) !== undefined;
  }

  create(key: ObjectKey, obj: KubeObject): KubeObject {
    return this.write('ADDED', key, obj, (existing) => {
      if (existing) throw new StoreExistsError(`${describe(key)} already exists`);
    });
  }

  update(key: ObjectKey, obj: KubeObject, expectedRv?: string): KubeObject {
    return this.write('MODIFIED', key, obj, (existing) => this.check(key, existing, expectedRv));
  }

  delete(key: ObjectKey, last: KubeObject, expectedRv?: string): KubeObject {
    return this.write('DELETED', key, last, (existing) => this.check(key, existing, expectedRv));
  }

  private check(key: ObjectKey, existing: { rv: number } | undefined, expectedRv: string | undefined): void {
    if (!existing) throw new StoreNotFoundError(`${describe(key)} not found`);
    if (expectedRv !== undefined && expectedRv !== String(existing.rv)) {
      throw new StoreConflictError(`${describe(key)}: resourceVersion ${expectedRv} is stale (current ${existing.rv})`);
    }
  }

  /** One transaction: precondition check, object row, change row, counter. Listeners run after commit. */
  private write(type: ChangeType, key: ObjectKey, obj: KubeObject, precondition: (existing: { rv: number } | undefined) => void): KubeObject {
    let stored: KubeObject | undefined;
    let previous: KubeObject | undefined;
    const tx = this.db.transaction(() => {
      const existing = this.db.prepare('SELECT rv, body FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?')
        .get(key.group, key.resource, key.namespace, key.name) as { rv: number; body: string } | undefined;
      precondition(existing);
      previous = existing ? (JSON.parse(existing.body) as KubeObject) : undefined;
      const rv = this.rv + 1;
      stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
      const body = JSON.stringify(stored);
      if (type === 'DELETED') {
        this.db.prepare('DELETE FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?').run(key.group, key.resource, key.namespace, key.name);
      } else {
        const uid = typeof stored.metadata.uid === 'string' ? stored.metadata.uid : '';
        const owners = stored.metadata.ownerReferences;
        const owned = Array.isArray(owners) && owners.length > 0 ? 1 : 0;
        const terminating = typeof stored.metadata.deletionTimestamp === 'string' ? 1 : 0;
        this.db.prepare(`INSERT INTO objects (grp, resource, namespace, name, uid, rv, owned, terminating, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (grp, resource, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, owned = excluded.owned,
          terminating = excluded.terminating, body = excluded.body`)
          .run(key.group, key.resource, key.namespace, key.name, uid, rv, owned, terminating, body);
      }
      const sensitive = this.sensitive(key);
      if (sensitive) {
        const older = this.db.prepare('SELECT rv, body FROM changes WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?')
          .all(key.group, key.resource, key.namespace, key.name) as { rv: number; body: string }[];
        const scrub = this.db.prepare('UPDATE changes SET body = ? WHERE rv = ?');
        for (const row of older) scrub.run(JSON.stringify(redactedHistory(JSON.parse(row.body) as KubeObject)), row.rv);
      }
      const logged = sensitive && type === 'DELETED' ? JSON.stringify(redactedHistory(stored)) : body;
      this.db.prepare('INSERT INTO changes (rv, type, grp, resource, namespace, name, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(rv, type, key.group, key.resource, key.namespace, key.name, logged);
      this.db.prepare("UPDATE meta SET v = ? WHERE k = 'rv'").run(rv);
      return rv;
    });
    const rv = tx();
    this.rv = rv;
    if (++this.writesSinceCompaction >= 100) this.compact();
    if (this.sensitive(key) || this.checkpointPending) this.checkpoint();
    if (!stored) throw new Error('store write produced no object');
    const change: Change = { rv, type, key, object: stored, ...(previous ? { previous } : {}) };
    for (const l of [...this.listeners]) l(change);
    return stored;
  }

  private compact(): void {
    this.writesSinceCompaction = 0;
    const upTo = this.rv - this.retain;
    if (upTo <= this.compactedRv) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM changes WHERE rv <= ?').run(upTo);
      this.db.prepare("UPDATE meta SET v = ? WHERE k = 'compacted'").run(upTo);
    })();
    this.compactedRv = upTo;
  }

  /** Copies every WAL frame into the database and truncates the WAL to zero bytes. */
  private checkpoint(): void {
    const r = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    this.checkpointPending = (r[0]?.busy ?? 0) !== 0;
  }

  changesSince(afterRv: number): Change[] {
    if (afterRv < this.compactedRv) {
      throw new StoreTooOldError(`too old resource version: ${afterRv} (${this.compactedRv + 1})`);
    }
    const rows = this.db.prepare('SELECT rv, type, grp, resource, namespace, name, body FROM changes WHERE rv > ? ORDER BY rv').all(afterRv) as ChangeRow[];
    return rows.map((r) => ({
      rv: r.rv, type: r.type as ChangeType,
      key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
      object: JSON.parse(r.body) as KubeObject,
    }));
  }

  subscribe(listener: (c: Change) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }
}

/** Object counts per resource, read from a store file without taking it over (for `fluid status`). */
export function countObjects(path: string): { group: string; resource: string; count: number }[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT grp AS "group", resource, COUNT(*) AS count FROM objects GROUP BY grp, resource ORDER BY grp, resource').all() as { group: string; resource: string; count: number }[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

// Off-heap namespace storage for the master: every mount's nodes in one SQLite database
// (better-sqlite3, synchronous). The journal is the source of truth, so the database is scratch:
// it is formatted (deleted and recreated) at open and rebuilt from checkpoint + replay; WAL with
// synchronous=OFF because a crash only loses what the journal will replay anyway.
//
// Schema: nodes(mount, path) WITHOUT ROWID, so a path prefix ("/a/") is a contiguous key range:
// subtree deletes and child scans are range queries. kind is 0 = file, 1 = directory; children is
// a JSON array of names, NULL = not listed. A partial index holds the directories only (the sync
// loop scans them every few seconds), and triggers keep per-mount totals (files, bytes,
// directories, unlisted directories) so summary() - the master's stats and metrics - is O(1).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NodeStore, NodeStoreFactory, NodeSummary, NsNode } from '../../core/master/node-store.js';

/** Database file name inside the metastore directory. */
export const METASTORE_FILE = 'namespace.sqlite';

export interface SqliteMetastoreOptions {
  /** SQLite page cache per connection (KiB). Bounds the metastore's memory besides the OS page cache. */
  readonly cacheKiB?: number;
}

interface Row {
  path: string;
  kind: number;
  size: number;
  mtime_ms: number;
  fingerprint: string;
  children: string | null;
  listed_at_ms: number;
}

type Stmt = Database.Statement;
type StmtName = 'get' | 'set' | 'del' | 'delRange' | 'range' | 'all' | 'dirs' | 'insert' | 'insertMany' | 'setTotals' | 'totals' | 'count' | 'clear' | 'addMount' | 'addTotals';
/** A row of `all`/`dirs` (raw mode): path, kind, size, mtime_ms, fingerprint, children, listed_at_ms. */
type RawRow = [string, number, number, number, string, string | null, number];
type Statements = Readonly<Record<StmtName, Stmt>>;

/** Rows per statement in bulk loads (8 parameters each; SQLite allows 32766 parameters). */
const BULK_ROWS = 128;

/** Keep `totals` right on every single-row write. Dropped around bulk loads, which set totals themselves. */
const CREATE_TRIGGERS = `
      CREATE TRIGGER nodes_ins AFTER INSERT ON nodes BEGIN
        UPDATE totals SET files = files + (NEW.kind = 0), file_bytes = file_bytes + (NEW.kind = 0) * NEW.size,
          dirs = dirs + (NEW.kind = 1), unlisted = unlisted + (NEW.kind = 1 AND NEW.children IS NULL) WHERE mount = NEW.mount;
      END;
      CREATE TRIGGER nodes_del AFTER DELETE ON nodes BEGIN
        UPDATE totals SET files = files - (OLD.kind = 0), file_bytes = file_bytes - (OLD.kind = 0) * OLD.size,
          dirs = dirs - (OLD.kind = 1), unlisted = unlisted - (OLD.kind = 1 AND OLD.children IS NULL) WHERE mount = OLD.mount;
      END;
      CREATE TRIGGER nodes_upd AFTER UPDATE ON nodes BEGIN
        UPDATE totals SET files = files - (OLD.kind = 0) + (NEW.kind = 0),
          file_bytes = file_bytes - (OLD.kind = 0) * OLD.size + (NEW.kind = 0) * NEW.size,
          dirs = dirs - (OLD.kind = 1) + (NEW.kind = 1),
          unlisted = unlisted - (OLD.kind = 1 AND OLD.children IS NULL) + (NEW.kind = 1 AND NEW.children IS NULL) WHERE mount = NEW.mount;
      END;`;
const DROP_TRIGGERS = 'DROP TRIGGER nodes_ins; DROP TRIGGER nodes_del; DROP TRIGGER nodes_upd;';

/** One open metastore database; `nodeStores` hands out one NodeStore per mount. Close it after the master stops. */
export class SqliteMetastore {
  private readonly db: Database.Database;
  private readonly mountIds = new Map<string, number>();
  private readonly q: Statements;

  /** Formats `dir` (drops any earlier database there) and opens a fresh one. */
  constructor(readonly dir: string, opts: SqliteMetastoreOptions = {}) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, METASTORE_FILE);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    this.db.pragma(`cache_size = -${Math.max(256, Math.floor(opts.cacheKiB ?? 16 * 1024))}`);
    this.db.exec(`
      CREATE TABLE mounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE nodes (
        mount INTEGER NOT NULL, path TEXT NOT NULL, kind INTEGER NOT NULL, size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL, fingerprint TEXT NOT NULL, children TEXT, listed_at_ms INTEGER NOT NULL,
        PRIMARY KEY (mount, path)) WITHOUT ROWID;
      CREATE INDEX nodes_dirs ON nodes (mount, path) WHERE kind = 1;
      CREATE TABLE totals (
        mount INTEGER PRIMARY KEY, files INTEGER NOT NULL DEFAULT 0, file_bytes INTEGER NOT NULL DEFAULT 0,
        dirs INTEGER NOT NULL DEFAULT 0, unlisted INTEGER NOT NULL DEFAULT 0);`);
    this.db.exec(CREATE_TRIGGERS);;
    const cols = 'path, kind, size, mtime_ms, fingerprint, children, listed_at_ms';
    this.q = {
      get: this.db.prepare(`SELECT ${cols} FROM nodes WHERE mount = ? AND path = ?`),
      // An upsert (not INSERT OR REPLACE) so the UPDATE trigger sees the old row.
      set: this.db.prepare(`INSERT INTO nodes (mount, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mount, path) DO UPDATE SET
        kind = excluded.kind, size = excluded.size, mtime_ms = excluded.mtime_ms, fingerprint = excluded.fingerprint,
        children = excluded.children, listed_at_ms = excluded.listed_at_ms`),
      del: this.db.prepare('DELETE FROM nodes WHERE mount = ? AND path = ?'),
      delRange: this.db.prepare('DELETE FROM nodes WHERE mount = ? AND path >= ? AND path < ?'),
      range: this.db.prepare('SELECT path FROM nodes WHERE mount = ? AND path > ? AND path < ?').pluck(),
      // raw(): rows as arrays in `cols` order, about twice as fast as objects for whole-mount reads.
      all: this.db.prepare(`SELECT ${cols} FROM nodes WHERE mount = ? ORDER BY path`).raw(),
      dirs: this.db.prepare(`SELECT ${cols} FROM nodes INDEXED BY nodes_dirs WHERE mount = ? AND kind = 1`).raw(),
      insert: this.db.prepare(`INSERT INTO nodes (mount, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      insertMany: this.db.prepare(`INSERT INTO nodes (mount, ${cols}) VALUES ${Array.from({ length: BULK_ROWS }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`),
      setTotals: this.db.prepare('UPDATE totals SET files = ?, file_bytes = ?, dirs = ?, unlisted = ? WHERE mount = ?'),
      totals: this.db.prepare('SELECT files, file_bytes, dirs, unlisted FROM totals WHERE mount = ?'),
      count: this.db.prepare('SELECT files + dirs FROM totals WHERE mount = ?').pluck(),
      clear: this.db.prepare('DELETE FROM nodes WHERE mount = ?'),
      addMount: this.db.prepare('INSERT INTO mounts (name) VALUES (?)'),
      addTotals: this.db.prepare('INSERT INTO totals (mount) VALUES (?)'),
    };
  }

  /** NodeStoreFactory over this database; a mount's store starts empty (its old rows, if any, are dropped). */
  readonly nodeStores: NodeStoreFactory = (mount) => {
    let id = this.mountIds.get(mount);
    if (id === undefined) {
      id = Number(this.q.addMount.run(mount).lastInsertRowid);
      this.q.addTotals.run(id);
      this.mountIds.set(mount, id);
    }
    const store = new SqliteNodeStore(this.db, id, this.q);
    store.clear();
    return store;
  };

  close(): void {
    if (this.db.open) this.db.close();
  }
}

class SqliteNodeStore implements NodeStore {
  constructor(
    private readonly db: Database.Database,
    private readonly mount: number,
    private readonly q: Statements,
  ) {}

  get(path: string): NsNode | undefined {
    const r = this.q.get.get(this.mount, path) as Row | undefined;
    return r ? toNode(r) : undefined;
  }

  set(path: string, n: NsNode): void {
    this.q.set.run(this.mount, path, n.kind === 'file' ? 0 : 1, n.size, n.mtimeMs, n.fingerprint, n.children ? JSON.stringify(n.children) : null, n.listedAtMs);
  }

  delete(path: string): void {
    this.q.del.run(this.mount, path);
  }

  deletePrefix(prefix: string): void {
    if (prefix === '') { this.clear(); return; }
    this.q.delRange.run(this.mount, prefix, upperBound(prefix));
  }

  childNamesUnder(prefix: string): string[] {
    const out: string[] = [];
    const paths = this.q.range.all(this.mount, prefix, upperBound(prefix)) as string[];
    for (const k of paths) if (!k.includes('/', prefix.length)) out.push(k.slice(prefix.length));
    return out;
  }

  size(): number {
    return this.q.count.get(this.mount) as number;
  }

  forEach(fn: (path: string, node: NsNode) => void): void {
    for (const r of this.q.all.iterate(this.mount) as IterableIterator<RawRow>) fn(r[0], rawToNode(r));
  }

  forEachDirectory(fn: (path: string, node: NsNode) => void): void {
    for (const r of this.q.dirs.iterate(this.mount) as IterableIterator<RawRow>) fn(r[0], rawToNode(r));
  }

  summary(): NodeSummary {
    const t = this.q.totals.get(this.mount) as { files: number; file_bytes: number; dirs: number; unlisted: number } | undefined;
    return { files: t?.files ?? 0, fileBytes: t?.file_bytes ?? 0, directories: t?.dirs ?? 0, unlistedDirectories: t?.unlisted ?? 0 };
  }

  entries(): [string, NsNode][] {
    return (this.q.all.all(this.mount) as RawRow[]).map((r) => [r[0], rawToNode(r)]);
  }

  /** Bulk load: triggers off, plain INSERTs (a duplicate path throws), totals counted here. */
  replaceAll(entries: Iterable<readonly [string, NsNode]>): void {
    this.withoutTriggers(() => {
      this.q.clear.run(this.mount);
      let files = 0;
      let bytes = 0;
      let dirs = 0;
      let unlisted = 0;
      // Rows go in groups of BULK_ROWS per statement: the per-call cost dominates single-row inserts.
      let args: unknown[] = [];
      for (const [p, n] of entries) {
        args.push(this.mount, p, n.kind === 'file' ? 0 : 1, n.size, n.mtimeMs, n.fingerprint, n.children ? JSON.stringify(n.children) : null, n.listedAtMs);
        if (n.kind === 'file') { files++; bytes += n.size; } else { dirs++; if (n.children === null) unlisted++; }
        if (args.length === BULK_ROWS * 8) { this.q.insertMany.run(args); args = []; }
      }
      for (let i = 0; i < args.length; i += 8) this.q.insert.run(args.slice(i, i + 8));
      this.q.setTotals.run(files, bytes, dirs, unlisted, this.mount);
    });
  }

  clear(): void {
    this.withoutTriggers(() => {
      this.q.clear.run(this.mount);
      this.q.setTotals.run(0, 0, 0, 0, this.mount);
    });
  }

  batch<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
  }

  /** Runs `fn` in a transaction with the totals triggers dropped; `fn` must set this mount's totals. */
  private withoutTriggers(fn: () => void): void {
    this.batch(() => {
      this.db.exec(DROP_TRIGGERS);
      try { fn(); } finally { this.db.exec(CREATE_TRIGGERS); }
    });
  }
}

function rawToNode(r: RawRow): NsNode {
  return {
    kind: r[1] === 0 ? 'file' : 'directory', size: r[2], mtimeMs: r[3], fingerprint: r[4],
    children: r[5] === null ? null : JSON.parse(r[5]) as string[], listedAtMs: r[6],
  };
}

function toNode(r: Row): NsNode {
  return {
    kind: r.kind === 0 ? 'file' : 'directory',
    size: r.size, mtimeMs: r.mtime_ms, fingerprint: r.fingerprint,
    children: r.children === null ? null : JSON.parse(r.children) as string[],
    listedAtMs: r.listed_at_ms,
  };
}

/**
 * The smallest string greater than every string starting with `prefix` in SQLite's BINARY (UTF-8
 * byte) order: the last code point incremented. Exact for the "/"-terminated prefixes Namespace uses.
 */
function upperBound(prefix: string): string {
  const chars = Array.from(prefix);
  const last = (chars.pop() ?? '').codePointAt(0) ?? 0;
  return chars.join('') + String.fromCodePoint(last + 1);
}

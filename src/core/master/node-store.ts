// The namespace's storage port: one synchronous map from UFS path to NsNode per mount. Namespace
// keeps all tree logic (listing, linking, subtree removal); a NodeStore only stores nodes. The heap
// implementation (HeapNodeStore) is the default; an off-heap one (SQLite) lives in
// src/adapters/metastore and is plugged in through a NodeStoreFactory.
//
// Contract for callers:
// - get() may return a live object (heap) or a fresh copy (off-heap). A caller that changes a node
//   MUST write it back with set() before the next store call; a caller that only reads must not
//   change it.
// - Every mutation made inside batch(fn) becomes visible together; stores may use it to group writes
//   (one transaction). Reads inside a batch see the batch's own writes. If fn throws, what it
//   already wrote is unspecified (the heap keeps it, SQLite rolls it back): callers validate first.
// - Paths are normalized UFS paths ("/", "/a", "/a/b"); "/" is the mount root.

/** One file or directory of a mount's namespace. */
export interface NsNode {
  kind: 'file' | 'directory';
  size: number;
  mtimeMs: number;
  fingerprint: string;
  /** Sorted child names; null = directory not listed yet (always null for files). */
  children: string[] | null;
  /** When the directory was last listed (ms), 0 = never. */
  listedAtMs: number;
}

/** Totals over the nodes of one store. */
export interface NodeSummary {
  readonly files: number;
  /** Sum of file sizes (bytes). */
  readonly fileBytes: number;
  readonly directories: number;
  /** Directories whose children === null. */
  readonly unlistedDirectories: number;
}

/** The nodes of one mount, keyed by UFS path. */
export interface NodeStore {
  get(path: string): NsNode | undefined;
  set(path: string, node: NsNode): void;
  /** Removes one path (not its descendants). */
  delete(path: string): void;
  /** Removes every path that starts with `prefix` (e.g. "/a/" removes "/a/x" and "/a/x/y", not "/a"). */
  deletePrefix(prefix: string): void;
  /** Stored paths that start with `prefix` and have no further "/" after it: the direct children known. */
  childNamesUnder(prefix: string): string[];
  /** Number of stored paths. */
  size(): number;
  /** Visits every node in no particular order; `fn` must not change the store. */
  forEach(fn: (path: string, node: NsNode) => void): void;
  /** Visits every directory in no particular order; `fn` must not change the store. */
  forEachDirectory(fn: (path: string, node: NsNode) => void): void;
  /** Counts over all nodes (off-heap stores keep them up to date on every write: O(1)). */
  summary(): NodeSummary;
  /** All [path, node] pairs in ascending path order (for snapshots); the nodes are the caller's to keep. */
  entries(): [string, NsNode][];
  /** Replaces the whole content (restore from a snapshot). */
  replaceAll(entries: Iterable<readonly [string, NsNode]>): void;
  clear(): void;
  batch<T>(fn: () => T): T;
}

/** Opens (creates) the store of one mount. A store obtained for a mount name that was used before starts empty. */
export type NodeStoreFactory = (mount: string) => NodeStore;

/**
 * Map-backed store: get() returns the live node, so in-place changes are cheap; set() of the same
 * object is a no-op. A count of stored children per parent prefix (one entry per non-empty
 * directory, not per inode) lets childNamesUnder() answer "none" without scanning every key, which
 * is the common case when a directory is listed for the first time.
 */
export class HeapNodeStore implements NodeStore {
  private readonly nodes = new Map<string, NsNode>();
  /** parent prefix ("/", "/a/") -> number of stored paths directly under it. */
  private readonly childCounts = new Map<string, number>();

  get(path: string): NsNode | undefined {
    return this.nodes.get(path);
  }

  set(path: string, node: NsNode): void {
    if (!this.nodes.has(path)) this.count(path, 1);
    this.nodes.set(path, node);
  }

  delete(path: string): void {
    if (this.nodes.delete(path)) this.count(path, -1);
  }

  deletePrefix(prefix: string): void {
    for (const k of [...this.nodes.keys()]) if (k.startsWith(prefix)) this.delete(k);
  }

  childNamesUnder(prefix: string): string[] {
    const out: string[] = [];
    if ((this.childCounts.get(prefix) ?? 0) === 0) return out;
    for (const k of this.nodes.keys()) if (k.length > prefix.length && k.startsWith(prefix) && !k.includes('/', prefix.length)) out.push(k.slice(prefix.length));
    return out;
  }

  size(): number {
    return this.nodes.size;
  }

  forEach(fn: (path: string, node: NsNode) => void): void {
    for (const [p, n] of this.nodes) fn(p, n);
  }

  forEachDirectory(fn: (path: string, node: NsNode) => void): void {
    for (const [p, n] of this.nodes) if (n.kind === 'directory') fn(p, n);
  }

  summary(): NodeSummary {
    let files = 0;
    let fileBytes = 0;
    let directories = 0;
    let unlistedDirectories = 0;
    for (const n of this.nodes.values()) {
      if (n.kind === 'file') { files++; fileBytes += n.size; } else {
        directories++;
        if (n.children === null) unlistedDirectories++;
      }
    }
    return { files, fileBytes, directories, unlistedDirectories };
  }

  entries(): [string, NsNode][] {
    return [...this.nodes].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p, n]) => [p, copyNode(n)]);
  }

  replaceAll(entries: Iterable<readonly [string, NsNode]>): void {
    this.clear();
    for (const [p, n] of entries) this.set(p, copyNode(n));
  }

  clear(): void {
    this.nodes.clear();
    this.childCounts.clear();
  }

  batch<T>(fn: () => T): T {
    return fn();
  }

  private count(path: string, delta: number): void {
    if (path === '/') return;
    const parent = path.slice(0, path.lastIndexOf('/') + 1);
    const n = (this.childCounts.get(parent) ?? 0) + delta;
    if (n === 0) this.childCounts.delete(parent); else this.childCounts.set(parent, n);
  }
}

export const heapNodeStores: NodeStoreFactory = () => new HeapNodeStore();

export function copyNode(n: NsNode): NsNode {
  return { ...n, children: n.children ? [...n.children] : null };
}

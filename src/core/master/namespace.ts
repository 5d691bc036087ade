// The namespace: per mount, a tree of directories and files with sizes, mtimes and fingerprints.
// Directories are listed lazily: `children === null` means "not listed yet". Pure data; changed only
// through MasterStateMachine.apply(). Nodes live in a NodeStore per mount (heap by default).
import { joinUfsPath, normalizeUfsPath, ufsPathSegments } from '../ufs/ufs-path.js';
import type { NsEntry } from './master-entry.js';
import { heapNodeStores, type NodeStore, type NodeStoreFactory, type NodeSummary, type NsNode } from './node-store.js';

export type { NsNode } from './node-store.js';

/** Serializable form: per mount, [path, node] pairs in path order. */
export type NamespaceSnapshot = Record<string, [string, NsNode][]>;

export class Namespace {
  /** mount name -> (ufs path -> node). Every mount has its root "/". */
  private trees = new Map<string, NodeStore>();

  /** `stores` opens the node store of a mount (default: in-heap maps). */
  constructor(private readonly stores: NodeStoreFactory = heapNodeStores) {}

  /** `reset`: mounts kept by name whose under storage changed; their trees start over. */
  setMounts(names: readonly string[], reset: ReadonlySet<string> = new Set()): void {
    const next = new Map<string, NodeStore>();
    for (const n of names) {
      const cur = this.trees.get(n);
      if (cur && !reset.has(n)) { next.set(n, cur); continue; }
      cur?.clear();
      const tree = this.stores(n);
      tree.set('/', newDir());
      next.set(n, tree);
    }
    for (const [n, tree] of this.trees) if (!next.has(n)) tree.clear();
    this.trees = next;
  }

  mountNames(): string[] {
    return [...this.trees.keys()];
  }

  hasMount(name: string): boolean {
    return this.trees.has(name);
  }

  /** The node at `path`; read-only for the caller (see NodeStore). */
  get(mount: string, path: string): NsNode | undefined {
    return this.trees.get(mount)?.get(path);
  }

  /** Replaces the children of directory `path` with `children` (an existing child directory keeps its listing). */
  listed(mount: string, path: string, children: readonly NsEntry[], atMs: number): void {
    const tree = this.trees.get(mount);
    if (!tree) return;
    const p = normalizeUfsPath(path);
    tree.batch(() => {
      let dir = tree.get(p);
      if (!dir || dir.kind !== 'directory') {
        if (dir) this.removeSubtree(tree, p);
        this.ensureAncestors(tree, p);
        dir = newDir();
        tree.set(p, dir);
        this.linkToParent(tree, p);
      }
      const names = new Set(children.map((c) => c.name));
      for (const old of knownChildren(tree, p, dir)) if (!names.has(old)) this.removeSubtree(tree, joinUfsPath(p, old));
      for (const c of children) this.upsertChild(tree, joinUfsPath(p, c.name), c);
      dir.children = [...names].sort();
      dir.listedAtMs = atMs;
      tree.set(p, dir);
    });
  }

  /** Records the stat of one path (null = gone). */
  stat(mount: string, path: string, entry: NsEntry | null): void {
    const tree = this.trees.get(mount);
    if (!tree) return;
    const p = normalizeUfsPath(path);
    if (p === '/') return; // the mount root always exists
    tree.batch(() => {
      if (entry === null) {
        this.removeSubtree(tree, p);
        const pp = parentOf(p);
        const parent = tree.get(pp);
        const base = p.slice(p.lastIndexOf('/') + 1);
        if (parent?.children && parent.children.includes(base)) {
          parent.children = parent.children.filter((n) => n !== base);
          tree.set(pp, parent);
        }
        return;
      }
      this.ensureAncestors(tree, p);
      this.upsertChild(tree, p, entry);
      this.linkToParent(tree, p);
    });
  }

  /** Visits every node of every mount (read-only). */
  forEach(fn: (mount: string, path: string, node: NsNode) => void): void {
    for (const [m, tree] of this.trees) tree.forEach((p, n) => fn(m, p, n));
  }

  /** Visits every directory of every mount (read-only). */
  forEachDirectory(fn: (mount: string, path: string, node: NsNode) => void): void {
    for (const [m, tree] of this.trees) tree.forEachDirectory((p, n) => fn(m, p, n));
  }

  /** Totals over every mount. */
  summary(): NodeSummary {
    let files = 0;
    let fileBytes = 0;
    let directories = 0;
    let unlistedDirectories = 0;
    for (const tree of this.trees.values()) {
      const s = tree.summary();
      files += s.files; fileBytes += s.fileBytes; directories += s.directories; unlistedDirectories += s.unlistedDirectories;
    }
    return { files, fileBytes, directories, unlistedDirectories };
  }

  snapshot(): NamespaceSnapshot {
    const out: NamespaceSnapshot = {};
    // Stores return path order; the sort makes the order exactly JS string order for every store
    // (TimSort on already sorted input is linear).
    for (const [m, tree] of this.trees) out[m] = tree.entries().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out;
  }

  restore(s: NamespaceSnapshot): void {
    const next = new Map<string, NodeStore>();
    for (const [m, nodes] of Object.entries(s)) {
      const tree = this.trees.get(m) ?? this.stores(m);
      tree.replaceAll(nodes);
      next.set(m, tree);
    }
    for (const [n, tree] of this.trees) if (!next.has(n)) tree.clear();
    this.trees = next;
  }

  /** Replaces one mount's tree with `nodes` (a backup's); a mount not in the table is ignored. */
  restoreMount(mount: string, nodes: Iterable<readonly [string, NsNode]>): void {
    const tree = this.trees.get(mount);
    if (!tree) return;
    tree.replaceAll(nodes);
    if (!tree.get('/')) tree.set('/', newDir());
  }

  private upsertChild(tree: NodeStore, p: string, c: NsEntry): void {
    const cur = tree.get(p);
    if (cur && cur.kind === c.kind) {
      cur.size = c.kind === 'file' ? c.size : 0;
      cur.mtimeMs = c.mtimeMs;
      cur.fingerprint = c.kind === 'file' ? c.fingerprint : '';
      tree.set(p, cur);
      return;
    }
    if (cur) this.removeSubtree(tree, p);
    tree.set(p, c.kind === 'directory'
      ? { ...newDir(), mtimeMs: c.mtimeMs }
      : { kind: 'file', size: c.size, mtimeMs: c.mtimeMs, fingerprint: c.fingerprint, children: null, listedAtMs: 0 });
  }

  private removeSubtree(tree: NodeStore, p: string): void {
    const n = tree.get(p);
    if (!n) return;
    if (n.kind === 'directory' && n.children === null) {
      // An unlisted directory may still hold entries learnt one by one (ns.stat): remove by prefix.
      tree.deletePrefix(`${p}/`);
    } else {
      for (const c of n.children ?? []) this.removeSubtree(tree, joinUfsPath(p, c));
    }
    tree.delete(p);
  }

  /** Creates missing ancestor directories (unlisted) of `p`. */
  private ensureAncestors(tree: NodeStore, p: string): void {
    const segs = ufsPathSegments(p);
    let cur = '/';
    for (let i = 0; i < segs.length - 1; i++) {
      const next = joinUfsPath(cur, segs[i] as string);
      const n = tree.get(next);
      if (!n || n.kind !== 'directory') {
        if (n) this.removeSubtree(tree, next);
        tree.set(next, newDir());
        this.linkToParent(tree, next);
      }
      cur = next;
    }
  }

  /** Adds `p`'s base name to its parent's listing when the parent is listed. */
  private linkToParent(tree: NodeStore, p: string): void {
    if (p === '/') return;
    const pp = parentOf(p);
    const parent = tree.get(pp);
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (parent?.children && !parent.children.includes(base)) {
      parent.children = [...parent.children, base].sort();
      tree.set(pp, parent);
    }
  }
}

function newDir(): NsNode {
  return { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: null, listedAtMs: 0 };
}

/** Child names of a directory: its listing, or for an unlisted one the entries learnt one by one. */
function knownChildren(tree: NodeStore, p: string, dir: NsNode): string[] {
  if (dir.children !== null) return dir.children;
  return tree.childNamesUnder(p === '/' ? '/' : `${p}/`);
}

export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

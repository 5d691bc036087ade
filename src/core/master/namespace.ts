// The namespace: per mount, a tree of directories and files with sizes, mtimes and fingerprints.
// Directories are listed lazily: `children === null` means "not listed yet". Pure data; changed only
// through MasterStateMachine.apply().
import { joinUfsPath, normalizeUfsPath, ufsPathSegments } from '../ufs/ufs-path.js';
import type { NsEntry } from './master-entry.js';

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

/** Serializable form: per mount, [path, node] pairs in path order. */
export type NamespaceSnapshot = Record<string, [string, NsNode][]>;

export class Namespace {
  /** mount name -> (ufs path -> node). Every mount has its root "/". */
  private trees = new Map<string, Map<string, NsNode>>();

  setMounts(names: readonly string[]): void {
    const next = new Map<string, Map<string, NsNode>>();
    for (const n of names) next.set(n, this.trees.get(n) ?? new Map([['/', newDir()]]));
    this.trees = next;
  }

  mountNames(): string[] {
    return [...this.trees.keys()];
  }

  hasMount(name: string): boolean {
    return this.trees.has(name);
  }

  get(mount: string, path: string): NsNode | undefined {
    return this.trees.get(mount)?.get(path);
  }

  /** Replaces the children of directory `path` with `children` (an existing child directory keeps its listing). */
  listed(mount: string, path: string, children: readonly NsEntry[], atMs: number): void {
    const tree = this.trees.get(mount);
    if (!tree) return;
    const p = normalizeUfsPath(path);
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
  }

  /** Records the stat of one path (null = gone). */
  stat(mount: string, path: string, entry: NsEntry | null): void {
    const tree = this.trees.get(mount);
    if (!tree) return;
    const p = normalizeUfsPath(path);
    if (p === '/') return; // the mount root always exists
    if (entry === null) {
      this.removeSubtree(tree, p);
      const parent = tree.get(parentOf(p));
      const base = p.slice(p.lastIndexOf('/') + 1);
      if (parent?.children) parent.children = parent.children.filter((n) => n !== base);
      return;
    }
    this.ensureAncestors(tree, p);
    this.upsertChild(tree, p, entry);
    this.linkToParent(tree, p);
  }

  /** Visits every node of every mount. */
  forEach(fn: (mount: string, path: string, node: NsNode) => void): void {
    for (const [m, tree] of this.trees) for (const [p, n] of tree) fn(m, p, n);
  }

  snapshot(): NamespaceSnapshot {
    const out: NamespaceSnapshot = {};
    for (const [m, tree] of this.trees) {
      out[m] = [...tree].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p, n]) => [p, { ...n, children: n.children ? [...n.children] : null }]);
    }
    return out;
  }

  restore(s: NamespaceSnapshot): void {
    this.trees = new Map(Object.entries(s).map(([m, nodes]) => [m, new Map(nodes.map(([p, n]) => [p, { ...n, children: n.children ? [...n.children] : null }]))]));
  }

  private upsertChild(tree: Map<string, NsNode>, p: string, c: NsEntry): void {
    const cur = tree.get(p);
    if (cur && cur.kind === c.kind) {
      cur.size = c.kind === 'file' ? c.size : 0;
      cur.mtimeMs = c.mtimeMs;
      cur.fingerprint = c.kind === 'file' ? c.fingerprint : '';
      return;
    }
    if (cur) this.removeSubtree(tree, p);
    tree.set(p, c.kind === 'directory'
      ? { ...newDir(), mtimeMs: c.mtimeMs }
      : { kind: 'file', size: c.size, mtimeMs: c.mtimeMs, fingerprint: c.fingerprint, children: null, listedAtMs: 0 });
  }

  private removeSubtree(tree: Map<string, NsNode>, p: string): void {
    const n = tree.get(p);
    if (!n) return;
    if (n.kind === 'directory' && n.children === null) {
      // An unlisted directory may still hold entries learnt one by one (ns.stat): scan by prefix.
      const prefix = `${p}/`;
      for (const k of [...tree.keys()]) if (k.startsWith(prefix)) tree.delete(k);
    } else {
      for (const c of n.children ?? []) this.removeSubtree(tree, joinUfsPath(p, c));
    }
    tree.delete(p);
  }

  /** Creates missing ancestor directories (unlisted) of `p`. */
  private ensureAncestors(tree: Map<string, NsNode>, p: string): void {
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
  private linkToParent(tree: Map<string, NsNode>, p: string): void {
    if (p === '/') return;
    const parent = tree.get(parentOf(p));
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (parent?.children && !parent.children.includes(base)) parent.children = [...parent.children, base].sort();
  }
}

function newDir(): NsNode {
  return { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: null, listedAtMs: 0 };
}

/** Child names of a directory: its listing, or for an unlisted one the entries learnt one by one. */
function knownChildren(tree: Map<string, NsNode>, p: string, dir: NsNode): string[] {
  if (dir.children !== null) return dir.children;
  const prefix = p === '/' ? '/' : `${p}/`;
  const out: string[] = [];
  for (const k of tree.keys()) if (k !== '/' && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) out.push(k.slice(prefix.length));
  return out;
}

export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

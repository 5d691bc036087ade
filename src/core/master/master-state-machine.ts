// The master's deterministic state machine: mount table + namespace + worker registry/block map.
// apply(entry) is the ONLY way to change it; queries never change it. No clock, no I/O, no
// randomness: the same entries in the same order give the same state and the same snapshot().
//
// Queries that need a directory the namespace has not listed yet answer { state: 'unlisted' } with
// the directory to list; the driver lists it from the UFS, proposes an `ns.listed` entry and asks again.
import type { FileBlockInfo, FileStatus, MasterStats, MountInfo, WorkerInfo } from '../../api/engine-rpc.js';
import { fileBlockLayout } from '../blockstore/file-block-layout.js';
import { joinUfsPath, normalizeUfsPath } from '../ufs/ufs-path.js';
import type { ReplicatedStateMachine } from './journal-port.js';
import { InvalidRequestError, PathNotFoundError } from './master-errors.js';
import type { MasterEntry, MasterEntryResult } from './master-entry.js';
import { Namespace, parentOf, type NamespaceSnapshot, type NsNode } from './namespace.js';
import { DatasetLayout } from '../fuse/dataset-path.js';
import type { NodeStoreFactory } from './node-store.js';
import { WorkerRegistry, type WorkerRegistrySnapshot } from './worker-registry.js';

export interface MasterSnapshot {
  readonly version: 1;
  readonly mounts: MountInfo[];
  readonly namespace: NamespaceSnapshot;
  readonly workers: WorkerRegistrySnapshot;
}

/** A dataset path resolved to the root or to (mount, path inside the mount). */
export type ResolvedPath = { readonly root: true } | { readonly root: false; readonly mount: string; readonly ufsPath: string };

export type Lookup<T> =
  | { readonly state: 'found'; readonly value: T }
  /** The directory `dir` of `mount` must be listed before the question can be answered. */
  | { readonly state: 'unlisted'; readonly mount: string; readonly dir: string };

export class MasterStateMachine implements ReplicatedStateMachine<MasterEntry, MasterEntryResult, MasterSnapshot> {
  private mountTable: MountInfo[] = [];
  private layout = new DatasetLayout([]);
  private readonly ns: Namespace;
  private readonly registry = new WorkerRegistry();

  /** `nodeStores` decides where namespace nodes live (default: the JS heap). */
  constructor(opts: { readonly nodeStores?: NodeStoreFactory } = {}) {
    this.ns = new Namespace(opts.nodeStores);
  }

  apply(entry: MasterEntry): MasterEntryResult {
    switch (entry.type) {
      case 'mounts.set': {
        // A mount kept by name but pointing at another UFS (Dataset mountPoint changed) loses its tree.
        const changed = new Set(entry.mounts.filter((m) => this.mountTable.some((o) => o.name === m.name && o.ufs !== m.ufs)).map((m) => m.name));
        this.mountTable = entry.mounts.map((m) => ({ name: m.name, ufs: m.ufs, ...(m.path !== undefined ? { path: m.path } : {}) }));
        this.layout = new DatasetLayout(this.mountTable);
        this.ns.setMounts(entry.mounts.map((m) => m.name), changed);
        return { type: 'ok' };
      }
      case 'ns.listed':
        this.ns.listed(entry.mount, entry.path, entry.children, entry.atMs);
        return { type: 'ok' };
      case 'ns.stat':
        this.ns.stat(entry.mount, entry.path, entry.entry);
        return { type: 'ok' };
      case 'ns.restore':
        for (const m of entry.mounts) this.ns.restoreMount(m.name, m.nodes);
        return { type: 'ok' };
      case 'worker.register': {
        const verdict = this.registry.admit(entry);
        if (verdict.ok) this.registry.register(entry);
        return verdict.ok ? { type: 'ok' } : { type: 'refused', holder: verdict.holder, leaseEndsMs: verdict.leaseEndsMs };
      }
      case 'worker.heartbeat':
        return { type: 'heartbeat', command: this.registry.heartbeat(entry) ? 'ok' : 'register' };
      case 'worker.expire':
        return { type: 'expired', workerIds: this.registry.expire(entry.nowMs, entry.timeoutMs) };
    }
  }

  snapshot(): MasterSnapshot {
    return { version: 1, mounts: this.mountTable.map((m) => ({ ...m })), namespace: this.ns.snapshot(), workers: this.registry.snapshot() };
  }

  restore(s: MasterSnapshot): void {
    if (s.version !== 1) throw new InvalidRequestError(`unsupported master snapshot version ${String(s.version)}`);
    this.mountTable = s.mounts.map((m) => ({ ...m }));
    this.layout = new DatasetLayout(this.mountTable);
    this.ns.restore(s.namespace);
    this.registry.restore(s.workers);
  }

  // ------------------------------------------------------------ queries

  /** The dataset path of a UFS path of a mount (where the mount appears: Dataset spec.mounts[].path). */
  datasetPathOf(mount: string, ufsPath: string): string {
    return this.layout.datasetPath(mount, ufsPath);
  }

  mounts(): MountInfo[] {
    return this.mountTable.map((m) => ({ ...m }));
  }

  /** Parses a dataset path: "/" = root, "/<mount dir>/rest" (or the mount itself when it is the root). Throws for unknown mounts or bad paths. */
  resolve(path: unknown): ResolvedPath {
    if (typeof path !== 'string' || path === '') throw new InvalidRequestError('path: expected a non-empty dataset path such as "/<mount>/dir/file"');
    let p: string;
    try {
      p = normalizeUfsPath(path);
    } catch (err) {
      throw new InvalidRequestError(`path: ${err instanceof Error ? err.message : String(err)}`);
    }
    const r = this.layout.resolve(p);
    if (!r) throw new PathNotFoundError(path);
    if (r.kind === 'root') return { root: true };
    if (!this.ns.hasMount(r.mount)) throw new PathNotFoundError(path);
    return { root: false, mount: r.mount, ufsPath: r.ufsPath };
  }

  getStatus(path: string): Lookup<FileStatus> {
    const r = this.resolve(path);
    if (r.root) return { state: 'found', value: { path: '/', name: '', kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '' } };
    const node = this.node(r.mount, r.ufsPath, path);
    if (node.state !== 'found') return node;
    return { state: 'found', value: toStatus(this.layout.datasetPath(r.mount, r.ufsPath), node.value) };
  }

  listStatus(path: string): Lookup<FileStatus[]> {
    const r = this.resolve(path);
    if (r.root) {
      return { state: 'found', value: this.mountTable.map((m) => toStatus(this.layout.datasetPath(m.name, '/'), this.ns.get(m.name, '/') ?? rootDir())) };
    }
    const node = this.node(r.mount, r.ufsPath, path);
    if (node.state !== 'found') return node;
    const dir = node.value;
    if (dir.kind === 'file') return { state: 'found', value: [toStatus(this.layout.datasetPath(r.mount, r.ufsPath), dir)] };
    if (dir.children === null) return { state: 'unlisted', mount: r.mount, dir: r.ufsPath };
    const out: FileStatus[] = [];
    for (const name of dir.children) {
      const childPath = joinUfsPath(r.ufsPath, name);
      const c = this.ns.get(r.mount, childPath);
      if (c) out.push(toStatus(this.layout.datasetPath(r.mount, childPath), c));
    }
    return { state: 'found', value: out };
  }

  /** Block layout of a file with the given block size, and where each block is cached. */
  getBlockInfo(path: string, blockSize: number): Lookup<FileBlockInfo> {
    const r = this.resolve(path);
    if (r.root) throw new InvalidRequestError(`path: "${path}" is a directory, not a file`);
    const node = this.node(r.mount, r.ufsPath, path);
    if (node.state !== 'found') return node;
    const f = node.value;
    if (f.kind !== 'file') throw new InvalidRequestError(`path: "${path}" is a directory, not a file`);
    const file = { path: this.layout.datasetPath(r.mount, r.ufsPath), mount: r.mount, ufsPath: r.ufsPath, size: f.size, fingerprint: f.fingerprint };
    const value = fileBlockLayout(file, blockSize, (blockId) => this.registry.locations(blockId).map((w) => ({ workerId: w.id, address: w.address, host: w.host, tier: w.blocks.get(blockId) ?? 'MEM' })));
    return { state: 'found', value };
  }

  /** Directories not listed yet, as (mount, path) pairs in a deterministic order. */
  unlistedDirectories(): { mount: string; path: string }[] {
    const out: { mount: string; path: string }[] = [];
    this.ns.forEachDirectory((mount, path, n) => { if (n.children === null) out.push({ mount, path }); });
    return out.sort((a, b) => (a.mount + a.path < b.mount + b.path ? -1 : 1));
  }

  /** Directories listed before `beforeMs` (for periodic re-sync). */
  staleDirectories(beforeMs: number): { mount: string; path: string }[] {
    const out: { mount: string; path: string }[] = [];
    this.ns.forEachDirectory((mount, path, n) => { if (n.children !== null && n.listedAtMs < beforeMs) out.push({ mount, path }); });
    return out;
  }

  stats(): MasterStats {
    const ns = this.ns.summary();
    const ufsTotalBytes = ns.fileBytes;
    const fileCount = ns.files;
    const directoryCount = ns.directories;
    const complete = ns.unlistedDirectories === 0;
    const workers = this.registry.list();
    return {
      ufsTotalBytes, fileCount, directoryCount, metadataComplete: complete,
      cachedBytes: this.registry.cachedBytes(),
      cacheCapacityBytes: workers.reduce((s, w) => s + w.capacityBytes, 0),
      cacheUsedBytes: workers.reduce((s, w) => s + w.usedBytes, 0),
      workers,
    };
  }

  /** Workers a `worker.expire` entry with these arguments would drop (so the driver proposes only when needed). */
  silentWorkers(nowMs: number, timeoutMs: number): string[] {
    return this.registry.silent(nowMs, timeoutMs);
  }

  /** Whether a registration would be admitted now (WorkerRegistry.admit). A query. */
  admitWorker(e: { workerId: string; instanceId: string; atMs: number; leaseMs: number }): ReturnType<WorkerRegistry['admit']> {
    return this.registry.admit(e);
  }

  workers(): WorkerInfo[] {
    return this.registry.list();
  }

  /** Finds a node, or names the first unlisted ancestor directory that must be listed to know. */
  private node(mount: string, ufsPath: string, original: string): Lookup<NsNode> {
    const hit = this.ns.get(mount, ufsPath);
    if (hit) return { state: 'found', value: hit };
    // Walk down from the mount root: the deepest existing ancestor decides.
    let dir = parentOf(ufsPath);
    while (!this.ns.get(mount, dir)) dir = parentOf(dir);
    const d = this.ns.get(mount, dir) as NsNode;
    if (d.kind === 'directory' && d.children === null) return { state: 'unlisted', mount, dir };
    throw new PathNotFoundError(original);
  }
}

function rootDir(): NsNode {
  return { kind: 'directory', size: 0, mtimeMs: 0, fingerprint: '', children: null, listedAtMs: 0 };
}

function toStatus(path: string, n: NsNode): FileStatus {
  return { path, name: path.slice(path.lastIndexOf('/') + 1), kind: n.kind, size: n.size, mtimeMs: n.mtimeMs, fingerprint: n.fingerprint };
}

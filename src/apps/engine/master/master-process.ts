// The master process: drives MasterStateMachine through a Journal, serves the master RPC, loads the
// namespace from the UFS (lazily on access, fully in the background, re-synced every
// syncIntervalMs), and expires silent workers. All state changes go through journal.propose().
//
// Health: 200 once every mount's root has been listed at least once (and this master is the leader
// or knows one); before that 503 with the reason (e.g. the UFS error). UFS failures are retried with
// exponential backoff (0.5 s .. 30 s), never in a tight loop.
import { readFile } from 'node:fs/promises';
import type { MasterConfig } from '../../../api/engine-config.js';
import type {
  CachedBlockRef, LoadMetadataRequest, MasterInfo, RegisterWorkerRequest, TierUsage, WorkerHeartbeatRequest, MetadataBackup,
} from '../../../api/engine-rpc.js';
import type { Logger } from '../../../adapters/apiserver/logger.js';
import { EngineCredential } from '../../../adapters/rpc/engine-credential.js';
import { RpcServer } from '../../../adapters/rpc/rpc-server.js';
import { createUfs } from '../../../adapters/ufs/create-ufs.js';
import { InProcessJournal } from '../../../core/master/in-process-journal.js';
import type { Journal } from '../../../core/master/journal-port.js';
import { InvalidRequestError, NotReadyError, WorkerIdInUseError } from '../../../core/master/master-errors.js';
import { NotLeaderError } from '../../../core/raft/raft-errors.js';
import type { MasterEntry, NsEntry } from '../../../core/master/master-entry.js';
import { MasterStateMachine, type Lookup } from '../../../core/master/master-state-machine.js';
import type { NodeStoreFactory } from '../../../core/master/node-store.js';
import { describeMount } from '../../../core/ufs/describe-mount.js';
import { planMetadataRestore } from '../../../core/master/metadata-restore.js';
import { PeriodicTask } from '../../../adapters/process/periodic-task.js';
import { UfsNotFoundError } from '../../../core/ufs/ufs-errors.js';
import type { Ufs } from '../../../core/ufs/ufs.js';
import { joinUfsPath } from '../../../core/ufs/ufs-path.js';
import { masterProperties, type MasterProperties } from './master-properties.js';

/** Builds the journal around the state machine. Default: InProcessJournal. The Raft journal plugs in here. */
export type JournalFactory = (sm: MasterStateMachine, ctx: { config: MasterConfig; server: RpcServer; log: Logger }) => Promise<Journal>;

export interface MasterProcessOptions {
  readonly log: Logger;
  readonly journalFactory?: JournalFactory;
  /** Wall clock in ms (injected for tests). */
  readonly now?: () => number;
  /** Where namespace nodes live (default: the JS heap); see src/adapters/metastore. */
  readonly nodeStores?: NodeStoreFactory;
}

/** Remembered results of retried calls (x-request-id), bounded. */
const DEDUP_ENTRIES = 4096;

export class MasterProcess {
  readonly sm: MasterStateMachine;
  readonly server: RpcServer;
  readonly props: MasterProperties;
  private journal!: Journal;
  private readonly ufs = new Map<string, Ufs>();
  private readonly ufsErrors = new Map<string, string>();
  private readonly inflightLists = new Map<string, Promise<void>>();
  private readonly dedup = new Map<string, unknown>();
  private readonly tasks: PeriodicTask[] = [];
  private stopped = false;
  private selfAddress = '';
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(readonly config: MasterConfig, private readonly opts: MasterProcessOptions) {
    this.log = opts.log;
    this.sm = new MasterStateMachine(opts.nodeStores ? { nodeStores: opts.nodeStores } : {});
    this.now = opts.now ?? Date.now;
    this.props = masterProperties(config.properties);
    this.server = new RpcServer(EngineCredential.fromFile(config.tokenFile), (msg, err) => this.log.error(msg, { error: err instanceof Error ? err.message : String(err) }));
  }

  async start(): Promise<number> {
    for (const m of this.config.mounts) {
      try {
        this.ufs.set(m.name, createUfs(m));
      } catch (err) {
        const reason = `mount ${m.name} (${describeMount(m)}): ${err instanceof Error ? err.message : String(err)}`;
        this.ufsErrors.set(m.name, reason);
        this.log.error('cannot use under storage', { mount: m.name, ufs: describeMount(m), error: err instanceof Error ? err.message : String(err) });
      }
    }
    this.registerMethods();
    this.server.setHealth(() => this.health());
    const port = await this.server.listen(this.config.host, this.config.port);
    const self = this.config.peers.find((p) => p.id === this.config.id);
    this.selfAddress = self?.address ?? `${this.config.host}:${port}`;
    this.journal = this.opts.journalFactory
      ? await this.opts.journalFactory(this.sm, { config: this.config, server: this.server, log: this.log })
      : new InProcessJournal(this.sm, this.config.id);
    if (this.journal.isLeader()) await this.journal.propose(this.mountsEntry());
    this.log.info('master serving', {
      id: this.config.id, address: this.selfAddress, blockSize: this.props.blockSize,
      mounts: this.config.mounts.map((m) => ({ name: m.name, ufs: describeMount(m), ...(m.path !== undefined ? { path: m.path } : {}) })),
    });
    this.loop('namespace', () => this.syncRound());
    this.loop('expire', () => this.expireRound());
    return port;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.tasks) t.stop();
    await this.server.close();
    await Promise.all([...this.ufs.values()].map((u) => u.close().catch(() => undefined)));
  }

  // ------------------------------------------------------------ background work

  /** Runs `round` repeatedly; it returns the delay until the next run (ms). */
  private loop(name: string, round: () => Promise<number>): void {
    this.tasks.push(new PeriodicTask(round, {
      onError: (err) => this.log.error(`${name} round failed`, { error: err instanceof Error ? err.message : String(err) }),
    }).start());
  }

  /** Timers pending across the background tasks (one per task at most). */
  get pendingTimers(): number {
    return this.tasks.reduce((n, t) => n + t.pendingTimers, 0);
  }

  private syncBackoffMs = 500;
  private mountsApplied = false;
  /** With config.restore: undefined until the backup was applied (or found applied); then the UFS may be listed. */
  private restored = false;
  private restoreError: string | undefined;

  /**
   * Applies config.restore once, on the leader, while the restored mounts' roots are unlisted (a
   * master whose journal already holds the tree does not restore again). Until it succeeds nothing
   * is listed from the UFS; a failure stays in health (503 with the reason) and is retried with backoff.
   */
  private async restoreRound(): Promise<boolean> {
    const r = this.config.restore;
    if (!r || this.restored) return true;
    if (this.config.mounts.every((m) => this.sm.listStatus(this.sm.datasetPathOf(m.name, '/')).state === 'found')) {
      this.restored = true;
      return true;
    }
    const where = `spec.dataRestoreLocation (${r.location})`;
    let text: string;
    try {
      text = await readFile(r.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      this.noteRestoreError(code === 'ENOENT' ? `${where}: no backup file ${r.file.slice(r.file.lastIndexOf('/') + 1)} there (run a DataBackup of this dataset to it first)` : `${where}: cannot read the backup: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    let plan;
    try {
      plan = planMetadataRestore(JSON.parse(text) as unknown, this.config.mounts.map((m) => ({ name: m.name, ufs: describeMount(m) })));
    } catch (err) {
      this.noteRestoreError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    await this.journal.propose(plan.entry);
    this.restored = true;
    this.restoreError = undefined;
    this.log.info('metadata restored from backup', { location: r.location, files: plan.files, directories: plan.directories });
    return true;
  }

  /** Why nothing may be listed yet (a restore from config.restore is still to be applied), or undefined. */
  private restorePending(): string | undefined {
    const r = this.config.restore;
    if (!r || this.restored) return undefined;
    return this.restoreError ?? `restoring metadata from spec.dataRestoreLocation (${r.location})`;
  }

  private noteRestoreError(reason: string): void {
    if (this.restoreError !== reason) this.log.error('cannot restore metadata from backup; retrying with backoff', { error: reason });
    this.restoreError = reason;
  }

  /** Lists unlisted directories, then stale ones; returns the next delay. */
  private async syncRound(): Promise<number> {
    if (!this.journal.isLeader()) { this.mountsApplied = false; return 1000; }
    if (!this.mountsApplied) { await this.journal.propose(this.mountsEntry()); this.mountsApplied = true; }
    if (!(await this.restoreRound())) {
      this.syncBackoffMs = Math.min(this.syncBackoffMs * 2, 30_000);
      return this.syncBackoffMs;
    }
    let failed = false;
    const listAll = async (dirs: { mount: string; path: string }[]): Promise<void> => {
      await pool(dirs, this.props.listParallelism, async (d) => {
        try {
          await this.listDir(d.mount, d.path);
        } catch (err) {
          failed = true;
          this.noteUfsError(d.mount, d.path, err);
        }
      });
    };
    for (let guard = 0; guard < 10_000 && !this.stopped; guard++) {
      const dirs = this.sm.unlistedDirectories().filter((d) => this.ufs.has(d.mount));
      if (dirs.length === 0 || failed) break;
      await listAll(dirs);
    }
    if (!failed && this.props.syncIntervalMs > 0) {
      await listAll(this.sm.staleDirectories(this.now() - this.props.syncIntervalMs).filter((d) => this.ufs.has(d.mount)));
    }
    if (failed) {
      this.syncBackoffMs = Math.min(this.syncBackoffMs * 2, 30_000);
      return this.syncBackoffMs;
    }
    this.syncBackoffMs = 500;
    return this.props.syncIntervalMs > 0 ? Math.min(this.props.syncIntervalMs, 5000) : 5000;
  }

  private async expireRound(): Promise<number> {
    // Journal an expiry only when some worker is actually silent: no log entry per tick.
    if (this.journal.isLeader() && this.sm.silentWorkers(this.now(), this.props.workerTimeoutMs).length > 0) {
      const r = await this.journal.propose({ type: 'worker.expire', nowMs: this.now(), timeoutMs: this.props.workerTimeoutMs });
      if (r.type === 'expired' && r.workerIds.length > 0) this.log.warn('workers lost (no heartbeat)', { workers: r.workerIds, timeoutMs: this.props.workerTimeoutMs });
    }
    return Math.max(200, Math.min(1000, this.props.workerTimeoutMs / 4));
  }

  private noteUfsError(mount: string, path: string, err: unknown): void {
    const m = this.config.mounts.find((x) => x.name === mount);
    const msg = err instanceof Error ? err.message : String(err);
    const reason = `mount ${mount} (${m ? describeMount(m) : '?'}) path ${path}: ${msg}`;
    if (this.ufsErrors.get(mount) !== reason) this.log.error('under storage listing failed; retrying with backoff', { mount, ufs: m ? describeMount(m) : undefined, path, error: msg });
    this.ufsErrors.set(mount, reason);
  }

  /** Lists one directory from the UFS and journals the result (single-flight per directory). */
  private listDir(mount: string, path: string): Promise<void> {
    // A master restoring from a backup lists nothing before the backup is in (see restoreRound).
    const pending = this.restorePending();
    if (pending !== undefined) return Promise.reject(new NotReadyError(pending));
    const key = `${mount}\u0000${path}`;
    let p = this.inflightLists.get(key);
    if (!p) {
      p = this.doListDir(mount, path).finally(() => this.inflightLists.delete(key));
      this.inflightLists.set(key, p);
    }
    return p;
  }

  private async doListDir(mount: string, path: string): Promise<void> {
    const ufs = this.ufs.get(mount);
    if (!ufs) throw new InvalidRequestError(this.ufsErrors.get(mount) ?? `mount ${mount} has no usable under storage`);
    let entries: NsEntry[];
    try {
      entries = (await ufs.list(path)).map((e) => ({ name: e.name, kind: e.kind, size: e.size, mtimeMs: e.mtimeMs, fingerprint: e.fingerprint }));
    } catch (err) {
      if (err instanceof UfsNotFoundError && path !== '/') {
        await this.journal.propose({ type: 'ns.stat', mount, path, entry: null, atMs: this.now() });
        return;
      }
      throw err;
    }
    await this.journal.propose({ type: 'ns.listed', mount, path, children: entries, atMs: this.now() });
    if (path === '/') this.ufsErrors.delete(mount);
  }

  /** Answers a lookup, listing the directories it needs first. */
  private async lookup<T>(q: () => Lookup<T>): Promise<T> {
    for (let i = 0; i < 256; i++) {
      const r = q();
      if (r.state === 'found') return r.value;
      await this.listDir(r.mount, r.dir);
    }
    throw new InvalidRequestError('path: too deep or changing while being listed');
  }

  private mountsEntry(): MasterEntry {
    return { type: 'mounts.set', mounts: this.config.mounts.map((m) => ({ name: m.name, ufs: describeMount(m), ...(m.path !== undefined ? { path: m.path } : {}) })) };
  }

  private health(): { ok: boolean; reason: string } {
    if (!this.journal) return { ok: false, reason: 'starting' };
    if (!this.journal.isLeader()) {
      const leader = this.journal.leaderId();
      return leader ? { ok: true, reason: '' } : { ok: false, reason: 'no leader elected yet' };
    }
    const pending = this.restorePending();
    if (pending !== undefined) return { ok: false, reason: pending };
    for (const m of this.config.mounts) {
      const root = this.sm.listStatus(this.sm.datasetPathOf(m.name, '/'));
      if (root.state !== 'found') return { ok: false, reason: this.ufsErrors.get(m.name) ?? `mount ${m.name}: loading metadata from ${describeMount(m)}` };
    }
    return { ok: true, reason: '' };
  }

  // ------------------------------------------------------------ RPC

  private leaderAddress(): string | undefined {
    const id = this.journal.leaderId();
    if (id === this.config.id) return this.selfAddress;
    return this.config.peers.find((p) => p.id === id)?.address;
  }

  private requireLeader(): void {
    if (!this.journal?.isLeader()) throw new NotLeaderError({ address: this.leaderAddress() });
  }

  /** Registers a leader-only method; with a request id, a retry gets the first answer. */
  private leaderMethod(name: string, fn: (body: Record<string, unknown>, requestId?: string) => Promise<unknown>, dedup = false): void {
    this.server.method(name, async (body, ctx) => {
      this.requireLeader();
      await this.journal.readBarrier?.();
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError(`${name}: request body must be a JSON object`);
      const key = dedup && ctx.requestId ? `${name}:${ctx.requestId}` : undefined;
      if (key && this.dedup.has(key)) return this.dedup.get(key);
      const res = await fn(body as Record<string, unknown>, dedup ? ctx.requestId : undefined);
      if (key) {
        this.dedup.set(key, res);
        if (this.dedup.size > DEDUP_ENTRIES) this.dedup.delete(this.dedup.keys().next().value as string);
      }
      return res;
    });
  }

  private registerMethods(): void {
    this.leaderMethod('mounts', () => Promise.resolve({ mounts: this.sm.mounts() }));
    this.leaderMethod('getStatus', (b) => { const path = str(b, 'path'); return this.lookup(() => this.sm.getStatus(path)); });
    this.leaderMethod('listStatus', async (b) => { const path = str(b, 'path'); return { entries: await this.lookup(() => this.sm.listStatus(path)) }; });
    this.leaderMethod('getBlockInfo', (b) => { const path = str(b, 'path'); return this.lookup(() => this.sm.getBlockInfo(path, this.props.blockSize)); });
    this.leaderMethod('loadMetadata', (b) => this.loadMetadata({ path: str(b, 'path'), recursive: b.recursive !== false }), true);
    this.leaderMethod('registerWorker', async (b, rid) => {
      const r = b as unknown as RegisterWorkerRequest;
      const workerId = str(b, 'workerId');
      const instanceId = str(b, 'instanceId');
      const entry = {
        type: 'worker.register' as const, workerId, instanceId, address: str(b, 'address'), host: str(b, 'host'),
        uid: uid(b.uid), tierPaths: absolutePaths(b.tierPaths, 'tierPaths'),
        tiers: tiers(r.tiers), blocks: blockRefs(r.blocks, 'blocks'), atMs: this.now(), leaseMs: this.props.workerTimeoutMs,
      };
      // Refused registrations are not journaled; apply() re-checks the same rule deterministically.
      const pre = this.sm.admitWorker(entry);
      if (!pre.ok) throw new WorkerIdInUseError(workerId, pre.holder.address, pre.leaseEndsMs);
      const res = await this.journal.propose(entry, rid);
      if (res.type === 'refused') throw new WorkerIdInUseError(workerId, res.holder.address, res.leaseEndsMs);
      this.log.info('worker registered', { workerId, address: entry.address, blocks: entry.blocks.length });
      return { ok: true };
    }, true);
    this.leaderMethod('workerHeartbeat', async (b, rid) => {
      const r = b as unknown as WorkerHeartbeatRequest;
      const workerId = str(b, 'workerId');
      const instanceId = str(b, 'instanceId');
      const beat = { tiers: tiers(r.tiers), added: blockRefs(r.added, 'added'), removed: strings(r.removed, 'removed') };
      const known = this.sm.workers().find((w) => w.id === workerId);
      if (!known || known.instanceId !== instanceId) return { command: 'register' };
      // A beat that changes nothing is journaled only every timeout/3 (liveness), not every second.
      if (beat.added.length === 0 && beat.removed.length === 0 && JSON.stringify(known.tiers) === JSON.stringify(beat.tiers)
        && this.now() - known.lastHeartbeatMs < this.props.workerTimeoutMs / 3) {
        return { command: 'ok' };
      }
      const res = await this.journal.propose({ type: 'worker.heartbeat', workerId, instanceId, ...beat, atMs: this.now() }, rid);
      return { command: res.type === 'heartbeat' ? res.command : 'register' };
    }, true);
    this.leaderMethod('stats', () => Promise.resolve(this.sm.stats()));
    this.leaderMethod('workers', () => Promise.resolve({ workers: this.sm.workers() }));
    // DataBackup: the snapshot is taken synchronously after the read barrier, so it is one applied index.
    this.leaderMethod('backupMetadata', () => {
      const st = this.sm.stats();
      const backup: MetadataBackup = {
        format: 'fluid-ts.master-metadata', version: 1, takenAtMs: this.now(), files: st.fileCount, directories: st.directoryCount, workers: st.workers.length, snapshot: this.sm.snapshot(),
      };
      return Promise.resolve(backup);
    });
    // masterInfo is answered by every master, leader or not.
    this.server.method('masterInfo', () => Promise.resolve(this.masterInfo()));

    const m = this.server.metrics;
    const stats = (): ReturnType<MasterStateMachine['stats']> => this.sm.stats();
    m.gauge('fluid_master_is_leader', '1 when this master is the leader.', () => (this.journal?.isLeader() ? 1 : 0));
    m.gauge('fluid_master_ufs_total_bytes', 'Sum of the sizes of all files known to the namespace.', () => stats().ufsTotalBytes);
    m.gauge('fluid_master_files', 'Files known to the namespace.', () => stats().fileCount);
    m.gauge('fluid_master_cached_bytes', 'Sum of distinct cached block lengths.', () => stats().cachedBytes);
    m.gauge('fluid_master_cache_capacity_bytes', 'Sum of live workers\' tier quotas.', () => stats().cacheCapacityBytes);
    m.gauge('fluid_master_workers', 'Live workers.', () => this.sm.workers().length);
    m.gauge('fluid_master_metadata_complete', '1 once every directory has been listed.', () => (stats().metadataComplete ? 1 : 0));
  }

  private masterInfo(): MasterInfo {
    const self = { id: this.config.id, address: this.selfAddress };
    const masters = this.config.peers.length > 0 ? this.config.peers.map((p) => ({ id: p.id, address: p.address })) : [self];
    const leaderId = this.journal?.leaderId() ?? null;
    const leaderAddr = leaderId ? this.leaderAddress() : undefined;
    return { self, leader: leaderId && leaderAddr ? { id: leaderId, address: leaderAddr } : null, masters };
  }

  private async loadMetadata(req: LoadMetadataRequest): Promise<{ directoriesListed: number; filesSeen: number }> {
    const pending = this.restorePending();
    if (pending !== undefined) throw new NotReadyError(pending);
    const r = this.sm.resolve(req.path);
    const roots = r.root ? this.config.mounts.map((m) => ({ mount: m.name, path: '/' })) : [{ mount: r.mount, path: r.ufsPath }];
    let directoriesListed = 0;
    let filesSeen = 0;
    const visit = async (mount: string, path: string): Promise<void> => {
      const ufs = this.ufs.get(mount);
      if (!ufs) throw new InvalidRequestError(this.ufsErrors.get(mount) ?? `mount ${mount} has no usable under storage`);
      let st;
      try {
        st = path === '/' ? undefined : await ufs.stat(path);
      } catch (err) {
        if (err instanceof UfsNotFoundError) {
          await this.journal.propose({ type: 'ns.stat', mount, path, entry: null, atMs: this.now() });
          return;
        }
        throw err;
      }
      if (st && st.kind === 'file') {
        await this.journal.propose({ type: 'ns.stat', mount, path, entry: st, atMs: this.now() });
        filesSeen++;
        return;
      }
      await this.doListDir(mount, path);
      directoriesListed++;
      const listing = this.sm.listStatus(this.sm.datasetPathOf(mount, path));
      if (listing.state !== 'found') return;
      const subdirs: string[] = [];
      for (const e of listing.value) {
        if (e.kind === 'file') filesSeen++;
        else subdirs.push(joinUfsPath(path, e.name));
      }
      if (req.recursive !== false) await pool(subdirs, this.props.listParallelism, (d) => visit(mount, d));
    };
    for (const x of roots) await visit(x.mount, x.path);
    return { directoriesListed, filesSeen };
  }
}

async function pool<T>(items: readonly T[], parallelism: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallelism, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

function str(b: Record<string, unknown>, field: string): string {
  const v = b[field];
  if (typeof v !== 'string' || v === '') throw new InvalidRequestError(`${field}: expected a non-empty string`);
  return v;
}

function uid(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidRequestError('uid: expected the worker process uid (a non-negative integer)');
  return v;
}

/** Absolute, normalised paths (no "." or ".." segments, no empty segments). */
function absolutePaths(v: unknown, field: string): string[] {
  if (!Array.isArray(v)) throw new InvalidRequestError(`${field}: expected an array of absolute directory paths`);
  return v.map((p: unknown, i) => {
    if (typeof p !== 'string' || !p.startsWith('/') || p.split('/').slice(1).some((seg) => seg === '' || seg === '.' || seg === '..')) {
      throw new InvalidRequestError(`${field}[${i}]: expected an absolute path without ".", ".." or empty segments`);
    }
    return p;
  });
}

function strings(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new InvalidRequestError(`${field}: expected an array of strings`);
  return v as string[];
}

function tiers(v: unknown): TierUsage[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InvalidRequestError('tiers: expected an array of { medium, capacityBytes, usedBytes }');
  return v.map((t: unknown, i) => {
    const o = t as Partial<TierUsage> | null;
    if (!o || (o.medium !== 'MEM' && o.medium !== 'SSD' && o.medium !== 'HDD') || typeof o.capacityBytes !== 'number' || typeof o.usedBytes !== 'number') {
      throw new InvalidRequestError(`tiers[${i}]: expected { medium: MEM|SSD|HDD, capacityBytes: number, usedBytes: number }`);
    }
    return { medium: o.medium, capacityBytes: o.capacityBytes, usedBytes: o.usedBytes };
  });
}

function blockRefs(v: unknown, field: string): CachedBlockRef[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InvalidRequestError(`${field}: expected an array of { blockId, length, tier }`);
  return v.map((x: unknown, i) => {
    const o = x as Partial<CachedBlockRef> | null;
    if (!o || typeof o.blockId !== 'string' || typeof o.length !== 'number' || (o.tier !== 'MEM' && o.tier !== 'SSD' && o.tier !== 'HDD')) {
      throw new InvalidRequestError(`${field}[${i}]: expected { blockId: string, length: number, tier: MEM|SSD|HDD }`);
    }
    return { blockId: o.blockId, length: o.length, tier: o.tier };
  });
}

// The worker process: a tiered block store (FileBlockStore) filled from the UFS on demand, served
// over GET /blocks/<id> and short-circuit openLocalBlock, reported to the leader master by
// registration + heartbeats. Concurrent requests for one missing block share a single fill; a fill
// reads the block with `fillParallelism` parallel range reads of `fillRangeSize` bytes. A block
// that no tier keeps (no room, or the tier's disk refused the write) is not an error: its bytes
// stay in a bounded memory window (RecentBlocks) and every reader of it is served from there, so
// a block is fetched from the UFS once per window, not once per reader or range request.
import { randomBytes } from 'node:crypto';
import { createReadStream, realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkerConfig } from '../../../api/engine-config.js';
import { FREE_BLOCKS_MAX, type BlockRef, type FreeBlocksResponse, type LoadBlocksResponse, type TierMedium, type WorkerStats } from '../../../api/engine-rpc.js';
import type { Logger } from '../../../adapters/apiserver/logger.js';
import { FileBlockStore, type PutResult } from '../../../adapters/blockstore/file-block-store.js';
import { MasterClient } from '../../../adapters/engine-client/master-client.js';
import { RpcRemoteError } from '../../../adapters/rpc/rpc-errors.js';
import { EngineCredential } from '../../../adapters/rpc/engine-credential.js';
import { RpcServer, sendError, sendFluidError } from '../../../adapters/rpc/rpc-server.js';
import { createUfs } from '../../../adapters/ufs/create-ufs.js';
import { blockRefProblem, isBlockId } from '../../../core/blockstore/block-id.js';
import { parseByteRangeHeader, splitRange } from '../../../core/blockstore/block-range.js';
import type { DirSpec, FillPurpose } from '../../../core/blockstore/block-store-state.js';
import { RecentBlocks } from '../../../core/blockstore/recent-blocks.js';
import { createEvictionPolicy } from '../../../core/blockstore/eviction-policy.js';
import { FluidError } from '../../../core/errors.js';
import { InvalidRequestError } from '../../../core/master/master-errors.js';
import { describeMount } from '../../../core/ufs/describe-mount.js';
import { PeriodicTask } from '../../../adapters/process/periodic-task.js';
import { UfsShortReadError, UfsSizeMismatchError } from '../../../core/ufs/ufs-errors.js';
import type { Ufs } from '../../../core/ufs/ufs.js';
import { workerProperties, type WorkerProperties } from './worker-properties.js';

interface Filled {
  readonly bytes: Buffer;
  /** 'miss' = fetched and being cached; 'bypass' = fetched, not cacheable. */
  readonly how: 'miss' | 'bypass';
  /** Settles when the block is on disk (or caching failed / was not possible). */
  readonly stored: Promise<PutResult>;
}

export class WorkerProcess {
  readonly server: RpcServer;
  readonly store: FileBlockStore;
  readonly props: WorkerProperties;
  private readonly ufs = new Map<string, Ufs>();
  /** blockId -> the fill in flight, for the block length it was started with. */
  private readonly fills = new Map<string, { readonly length: number; readonly p: Promise<Filled> }>();
  /** Fetched blocks that no tier kept, for their readers (see the file comment). */
  private readonly notKept: RecentBlocks<Buffer>;
  private readonly handles = new Map<string, { blockId: string; openedAtMs: number }>();
  private readonly master: MasterClient;
  private readonly tasks: PeriodicTask[] = [];
  private ready = false;
  private registered = false;
  private masterConnected = false;
  private idInUseLogged = false;
  /** Identifies this process to the master (lease rule: one live instance per worker id). */
  private readonly instanceId = randomBytes(16).toString('hex');
  private address = '';
  private readonly counters = { hits: 0, misses: 0, bypasses: 0, ufsBytesRead: 0, notKept: 0, servedNotKept: 0, freedBytes: 0 };

  constructor(readonly config: WorkerConfig, private readonly log: Logger, private readonly now: () => number = Date.now) {
    this.props = workerProperties(config.properties);
    const dirs: DirSpec[] = [];
    for (const [t, tier] of config.tiers.entries()) {
      if (tier.paths.length !== tier.quotas.length) throw new InvalidRequestError(`tiers[${t}]: paths (${tier.paths.length}) and quotas (${tier.quotas.length}) must have the same length`);
      if (tier.low > tier.high) throw new InvalidRequestError(`tiers[${t}]: low watermark ${tier.low} must not exceed high ${tier.high}`);
      tier.paths.forEach((path, i) => dirs.push({ medium: tier.mediumtype, path, quota: tier.quotas[i] as number, high: tier.high, low: tier.low }));
    }
    const policy = this.props.evictionPolicy;
    createEvictionPolicy(policy); // validate the name up front
    this.store = new FileBlockStore(dirs, () => createEvictionPolicy(policy), now, {
      onCorrupt: (blockId, file, reason) => this.log.warn('corrupt block dropped; it will be refetched', { blockId, file, reason }),
      onEvict: (blockId, length) => this.log.debug('block evicted', { blockId, length }),
    }, { leaseGraceMs: this.props.leaseGraceMs, unreadHoldMs: this.props.prefetchHoldMs });
    this.notKept = new RecentBlocks({ capacityBytes: this.props.uncachedBufferBytes, windowMs: this.props.uncachedWindowMs });
    const credential = EngineCredential.fromFile(config.tokenFile);
    this.master = new MasterClient(config.masters, { credential, failoverTimeoutMs: 5_000, attemptTimeoutMs: 5_000 });
    this.server = new RpcServer(credential, (msg, err) => this.log.error(msg, { error: err instanceof Error ? err.message : String(err) }));
  }

  async start(): Promise<number> {
    for (const m of this.config.mounts) this.ufs.set(m.name, createUfs(m));
    const { adopted, dropped } = await this.store.init();
    this.log.info('block store scanned', { adopted, dropped, tiers: this.store.usage() });
    this.registerRoutes();
    this.server.setHealth(() => (this.ready ? { ok: true, reason: '' } : { ok: false, reason: 'starting' }));
    const port = await this.server.listen(this.config.host, this.config.port);
    this.address = `${this.advertisedHost()}:${port}`;
    this.ready = true;
    this.log.info('worker serving', {
      id: this.config.id, address: this.address, masters: this.config.masters,
      mounts: this.config.mounts.map((m) => ({ name: m.name, ufs: describeMount(m) })),
      fillParallelism: this.props.fillParallelism, fillRangeSize: this.props.fillRangeSize,
    });
    this.loop(() => this.heartbeat());
    this.loop(() => { this.expireHandles(); return Promise.resolve(60_000); });
    return port;
  }

  /** The masters moved (a master rescheduled to another node): heartbeats go to the new addresses. */
  setMasters(masters: readonly string[]): void {
    this.master.setAddresses(masters);
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) t.stop();
    await this.server.close();
    await Promise.all([...this.ufs.values()].map((u) => u.close().catch(() => undefined)));
  }

  private loop(round: () => Promise<number>): void {
    this.tasks.push(new PeriodicTask(round, {
      onError: (err) => this.log.error('background round failed', { error: err instanceof Error ? err.message : String(err) }),
    }).start());
  }

  /** Timers pending across the background tasks (one per task at most). */
  get pendingTimers(): number {
    return this.tasks.reduce((n, t) => n + t.pendingTimers, 0);
  }

  // ------------------------------------------------------------ master reporting

  private async heartbeat(): Promise<number> {
    const interval = this.props.heartbeatIntervalMs;
    try {
      if (!this.registered) {
        this.store.resetChanges();
        await this.master.call('registerWorker', {
          workerId: this.config.id, instanceId: this.instanceId, address: this.address, host: this.nodeIdentity(),
          uid: process.getuid?.() ?? 0, tierPaths: this.tierPaths(), tiers: this.store.usage(), blocks: this.store.report(),
        });
        this.registered = true;
        this.idInUseLogged = false;
        if (!this.masterConnected) this.log.info('registered with master', { master: this.master.currentLeader() });
        this.masterConnected = true;
        return interval;
      }
      const changes = this.store.drainChanges();
      const res = await this.master.call('workerHeartbeat', { workerId: this.config.id, instanceId: this.instanceId, tiers: this.store.usage(), ...changes });
      this.masterConnected = true;
      if (res.command === 'register') {
        this.registered = false;
        return 0;
      }
    } catch (err) {
      // Lost changes are recovered by a full report on the next successful contact.
      this.registered = false;
      if (err instanceof RpcRemoteError && err.code === 'WorkerIdInUse') {
        // Another instance of this id (e.g. this worker before a restart) still holds its lease: retry until it ends.
        if (!this.idInUseLogged) this.log.warn('registration refused; retrying until the other instance\'s lease ends', { error: err.message });
        this.idInUseLogged = true;
        this.masterConnected = true;
        return interval;
      }
      if (this.masterConnected) this.log.warn('master unreachable; will re-register', { error: err instanceof Error ? err.message : String(err) });
      this.masterConnected = false;
    }
    return interval;
  }

  // ------------------------------------------------------------ data path

  /** Returns the block's bytes: from the cache, or filled from the UFS (single fill per block). */
  private async fill(ref: BlockRef, purpose: FillPurpose): Promise<Filled> {
    const inFlight = this.fills.get(ref.blockId);
    if (inFlight && inFlight.length !== ref.length) {
      // Another length for the same block (the tail check of one of them fails in its fill):
      // never share bytes across lengths; wait for that fill, then run this one.
      await inFlight.p.catch(() => undefined);
      return this.fill(ref, purpose);
    }
    let p = inFlight?.p;
    if (!p) {
      // The entry stays until the block is on disk, so concurrent readers share the bytes in memory;
      // a block that was not kept moves to `notKept` before the entry goes (no gap for readers).
      const fill = this.doFill(ref, purpose);
      p = fill;
      const forget = (): void => { if (this.fills.get(ref.blockId)?.p === fill) this.fills.delete(ref.blockId); };
      fill.then((f) => f.stored.then((r) => {
        if (!r.stored) this.keepInMemory(ref, f.bytes, r.reason);
        forget();
      }, forget), forget);
      this.fills.set(ref.blockId, { length: ref.length, p: fill });
    }
    return p;
  }

  /** A fetched block no tier kept: counted, logged at debug level, and held for its readers. */
  private keepInMemory(ref: BlockRef, bytes: Buffer, reason: string): void {
    this.counters.notKept++;
    this.notKept.put(ref.blockId, bytes, this.now());
    this.log.debug('block not kept in the cache; serving it from memory', { blockId: ref.blockId, mount: ref.mount, path: ref.ufsPath, length: ref.length, reason });
  }

  /** The bytes of a block fetched recently but not kept, if still held. */
  private heldInMemory(blockId: string): Buffer | undefined {
    return this.notKept.get(blockId, this.now());
  }

  private async doFill(ref: BlockRef, purpose: FillPurpose): Promise<Filled> {
    const ufs = this.ufs.get(ref.mount);
    if (!ufs) throw new InvalidRequestError(`mount: unknown mount "${ref.mount}"`);
    const buf = Buffer.allocUnsafe(ref.length);
    const ranges = splitRange(ref.offset, ref.length, this.props.fillRangeSize);
    // A block shorter than the block size must end the file: with readInto, each range read checks
    // that from its answer (checkTail skips its own stat then).
    const fileSize = ref.length !== ref.blockSize ? ref.offset + ref.length : undefined;
    let next = 0;
    const lanes = Array.from({ length: Math.min(this.props.fillParallelism, ranges.length) }, async () => {
      while (next < ranges.length) {
        const r = ranges[next++] as { offset: number; length: number };
        const into = buf.subarray(r.offset - ref.offset, r.offset - ref.offset + r.length);
        let n: number;
        if (ufs.readInto) {
          // Straight into the block buffer: no per-range allocation and copy (less GC under fills).
          try {
            n = await ufs.readInto(ref.ufsPath, r.offset, into, { fingerprint: ref.fingerprint, ...(fileSize !== undefined ? { fileSize } : {}) });
          } catch (err) {
            if (err instanceof UfsSizeMismatchError) throw tailError(ref, err.actual);
            throw err;
          }
        } else {
          const data = await ufs.read(ref.ufsPath, r.offset, r.length, { fingerprint: ref.fingerprint });
          if (data.length === r.length) into.set(data);
          n = data.length;
        }
        if (n !== r.length) throw new UfsShortReadError(`${ref.mount}:${ref.ufsPath}`, r.offset, r.length, n);
        this.counters.ufsBytesRead += n;
      }
    });
    await Promise.all(lanes);
    // The reader gets the bytes now; hashing and writing the block file happen behind it.
    const put = this.store.beginPut(ref.blockId, buf, purpose);
    if (put.placed) this.counters.misses++;
    else this.counters.bypasses++;
    this.log.debug('block filled from the UFS', { blockId: ref.blockId, path: ref.ufsPath, offset: ref.offset, purpose, placed: put.placed });
    return { bytes: buf, how: put.placed ? 'miss' : 'bypass', stored: put.done };
  }

  private registerRoutes(): void {
    this.server.route('GET', '/blocks/', (req, res, url) => this.serveBlock(req, res, url));
    this.server.method('openLocalBlock', async (body) => {
      const ref = blockRef(body);
      const open = async (): Promise<{ handle: string; file: string; length: number; checksum: string } | undefined> => {
        const v = await this.store.verified(ref.blockId);
        if (!v) return undefined;
        const handle = randomBytes(12).toString('hex');
        this.store.lease(ref.blockId, handle);
        this.handles.set(handle, { blockId: ref.blockId, openedAtMs: this.now() });
        return { handle, file: v.file, length: v.length, checksum: v.checksum };
      };
      const notCacheable = (): FluidError => new FluidError('NotCacheable', `block ${ref.blockId} (${ref.length} bytes) is not kept in any tier now; read it with GET /blocks (served from memory, not fetched again)`);
      const hit = await open();
      if (hit) { this.counters.hits++; return hit; }
      if (this.heldInMemory(ref.blockId)) throw notCacheable();
      // At most one fetch per open: a block that is not kept (or is evicted again before it could
      // be opened) is held in memory for GET /blocks instead of being fetched in a loop.
      await this.checkTail(ref);
      const f = await this.fill(ref, 'read');
      const r = await f.stored;
      if (r.stored) {
        const opened = await open();
        if (opened) return opened;
        this.keepInMemory(ref, f.bytes, 'evicted before it could be opened');
      }
      throw notCacheable();
    });
    this.server.method('closeLocalBlock', (body) => {
      const h = (body as { handle?: unknown }).handle;
      if (typeof h !== 'string') throw new InvalidRequestError('handle: expected the string returned by openLocalBlock');
      const rec = this.handles.get(h);
      if (rec) { this.handles.delete(h); this.store.endLease(h); }
      return Promise.resolve({ ok: true });
    });
    this.server.method('loadBlocks', async (body) => {
      const list = (body as { blocks?: unknown }).blocks;
      if (!Array.isArray(list)) throw new InvalidRequestError('blocks: expected an array of BlockRef');
      const refs = list.map((b, i) => blockRef(b, `blocks[${i}].`));
      const out: { loaded: number; alreadyCached: number; failed: { blockId: string; reason: string }[]; bytesFetched: number } = { loaded: 0, alreadyCached: 0, failed: [], bytesFetched: 0 };
      const loadOne = async (ref: BlockRef): Promise<void> => {
        try {
          if (await this.store.verified(ref.blockId)) { out.alreadyCached++; return; }
          // Read-ahead / preload never fetches what no tier would keep (nor evicts blocks that are
          // in use or not read yet); the reader fetches it on demand instead, once.
          if (!this.fills.has(ref.blockId)) {
            const why = this.heldInMemory(ref.blockId)
              ? 'not kept in any tier (held in memory for its readers)'
              : this.store.placeable(ref.length) ? undefined : 'no room in any tier without evicting blocks in use or not read yet; not fetched';
            if (why) { out.failed.push({ blockId: ref.blockId, reason: why }); return; }
          }
          await this.checkTail(ref);
          const f = await this.fill(ref, 'prefetch');
          out.bytesFetched += f.bytes.length;
          const stored = await f.stored;
          if (!stored.stored) out.failed.push({ blockId: ref.blockId, reason: stored.reason });
          else out.loaded++;
        } catch (err) {
          out.failed.push({ blockId: ref.blockId, reason: err instanceof Error ? err.message : String(err) });
        }
      };
      // Small blocks load several at a time (a small file's fill is latency, not bandwidth); at
      // most LOAD_BYTES_IN_FLIGHT of blocks are fetched at once.
      const largest = refs.reduce((m, r) => Math.max(m, r.length), 1);
      const lanes = Math.max(1, Math.min(MAX_LOAD_LANES, Math.floor(LOAD_BYTES_IN_FLIGHT / largest), refs.length));
      let next = 0;
      await Promise.all(Array.from({ length: lanes }, async () => {
        while (next < refs.length) await loadOne(refs[next++] as BlockRef);
      }));
      return out satisfies LoadBlocksResponse;
    });
    this.server.method('stats', () => Promise.resolve(this.stats()));
    this.server.method('freeBlocks', async (body) => {
      const ids = (body as { blockIds?: unknown }).blockIds;
      if (!Array.isArray(ids)) throw new InvalidRequestError('blockIds: expected an array of block ids');
      if (ids.length > FREE_BLOCKS_MAX) throw new InvalidRequestError(`blockIds: at most ${FREE_BLOCKS_MAX} per call (got ${ids.length})`);
      ids.forEach((id, i) => { if (typeof id !== 'string' || !isBlockId(id)) throw new InvalidRequestError(`blockIds[${i}]: expected 32 lowercase hex characters`); });
      const out = { freedBlocks: 0, bytesFreed: 0, notCached: 0 };
      for (const id of ids as string[]) {
        this.notKept.delete(id);
        const n = await this.store.free(id);
        if (n === undefined) { out.notCached++; continue; }
        out.freedBlocks++;
        out.bytesFreed += n;
        this.counters.freedBytes += n;
      }
      if (out.freedBlocks > 0) this.log.info('blocks freed on request', out);
      return out satisfies FreeBlocksResponse;
    });

    const m = this.server.metrics;
    m.gauge('fluid_worker_cache_hits_total', 'Block reads served from the cache.', () => this.counters.hits);
    m.gauge('fluid_worker_cache_misses_total', 'Block reads filled from the UFS and cached.', () => this.counters.misses);
    m.gauge('fluid_worker_cache_bypass_total', 'Block reads served from the UFS without caching.', () => this.counters.bypasses);
    m.gauge('fluid_worker_ufs_read_bytes_total', 'Bytes read from the UFS.', () => this.counters.ufsBytesRead);
    m.gauge('fluid_worker_evicted_blocks_total', 'Blocks evicted.', () => this.store.evicted);
    m.gauge('fluid_worker_blocks_not_kept_total', 'Blocks fetched from the UFS that no tier kept (no room, or the write failed); served from memory.', () => this.counters.notKept);
    m.gauge('fluid_worker_not_kept_reads_total', 'Block reads served from the memory of blocks not kept.', () => this.counters.servedNotKept);
    m.gauge('fluid_worker_not_kept_bytes', 'Bytes of not-kept blocks held in memory now.', () => this.notKept.bytes);
    m.gauge('fluid_worker_local_block_leases', 'Short-circuit leases held by FUSE clients.', () => this.store.state.leaseCount);
    m.gauge('fluid_worker_freed_blocks_total', 'Blocks removed by on-demand cache clean (freeBlocks).', () => this.store.freed);
    m.gauge('fluid_worker_freed_bytes_total', 'Bytes removed by on-demand cache clean (freeBlocks).', () => this.counters.freedBytes);
    m.gauge('fluid_worker_corrupt_blocks_total', 'Corrupt blocks dropped.', () => this.store.corruptDropped);
    m.gauge('fluid_worker_blocks', 'Blocks cached.', () => this.store.state.size);
    m.gauge('fluid_worker_tier_capacity_bytes', 'Tier quota.', () => this.store.usage().map((t) => ({ labels: { tier: t.medium }, value: t.capacityBytes })));
    m.gauge('fluid_worker_tier_used_bytes', 'Tier bytes used.', () => this.store.usage().map((t) => ({ labels: { tier: t.medium }, value: t.usedBytes })));
  }

  private stats(): WorkerStats {
    const tiers = this.store.usage();
    return {
      workerId: this.config.id, tiers, blockCount: this.store.state.size, cachedBytes: tiers.reduce((s, t) => s + t.usedBytes, 0),
      hits: this.counters.hits, misses: this.counters.misses, bypasses: this.counters.bypasses, ufsBytesRead: this.counters.ufsBytesRead,
      evictedBlocks: this.store.evicted, corruptBlocksDropped: this.store.corruptDropped, masterConnected: this.masterConnected,
    };
  }

  private async serveBlock(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let blockId = '';
    try {
      blockId = decodeURIComponent(url.pathname.slice('/blocks/'.length));
    } catch {
      // Malformed escapes: left empty, refused below as "expected a non-empty string".
    }
    const q = url.searchParams;
    let ref: BlockRef;
    try {
      ref = blockRef({
        blockId, mount: q.get('mount'), ufsPath: q.get('path'), fingerprint: q.get('fingerprint') ?? '',
        blockSize: queryInt(q.get('blockSize')), offset: queryInt(q.get('offset')), length: queryInt(q.get('length')),
      }, '', (f) => QUERY_NAMES[f]);
    } catch (err) {
      sendFluidError(res, err);
      return;
    }
    let range;
    try {
      range = parseByteRangeHeader(req.headers.range, ref.length);
    } catch (err) {
      sendError(res, 416, 'Invalid', err instanceof Error ? err.message : String(err));
      return;
    }
    const status = range ? 206 : 200;
    const part = range ?? { offset: 0, length: ref.length };
    const headers = (cache: string): Record<string, string> => ({
      'content-type': 'application/octet-stream', 'content-length': String(part.length), 'x-fluid-cache': cache,
      ...(range ? { 'content-range': `bytes ${part.offset}-${part.offset + part.length - 1}/${ref.length}` } : {}),
    });
    const v = await this.store.verified(ref.blockId);
    if (v) {
      this.counters.hits++;
      this.store.pin(ref.blockId);
      try {
        res.writeHead(status, headers('hit'));
        await pipeFile(v.file, part.offset, part.length, res);
      } finally {
        this.store.unpin(ref.blockId);
      }
      return;
    }
    const held = this.heldInMemory(ref.blockId);
    if (held && held.length === ref.length) {
      this.counters.servedNotKept++;
      res.writeHead(status, headers('bypass'));
      res.end(held.subarray(part.offset, part.offset + part.length));
      return;
    }
    let f: Filled;
    try {
      await this.checkTail(ref);
      f = await this.fill(ref, 'read');
    } catch (err) {
      this.log.warn('block fill failed', { blockId: ref.blockId, mount: ref.mount, path: ref.ufsPath, error: err instanceof Error ? err.message : String(err) });
      sendFluidError(res, err);
      return;
    }
    res.writeHead(status, headers(f.how));
    res.end(f.bytes.subarray(part.offset, part.offset + part.length));
  }

  /**
   * A block shorter than its block size must be the file's last one. Checked against the UFS before
   * a fill, so nobody can cache a truncated prefix under the id of a full block.
   */
  private async checkTail(ref: BlockRef): Promise<void> {
    if (ref.length === ref.blockSize) return;
    const ufs = this.ufs.get(ref.mount);
    if (!ufs) throw new InvalidRequestError(`mount: unknown mount "${ref.mount}"`);
    if (ufs.readInto) return; // the fill's range reads check the file size (doFill)
    const st = await ufs.stat(ref.ufsPath);
    if (st.kind !== 'file' || st.size !== ref.offset + ref.length) throw tailError(ref, st.size);
  }

  private expireHandles(): void {
    const limit = this.now() - this.props.localBlockLeaseMs;
    for (const [h, rec] of this.handles) {
      if (rec.openedAtMs < limit) { this.handles.delete(h); this.store.endLease(h); }
    }
  }

  /** Real paths of every tier directory, declared to the master for short-circuit readers. */
  private tierPaths(): string[] {
    return this.store.state.dirSpecs().map((d) => realpathSync(d.path));
  }

  /**
   * What a FUSE client compares with its own to decide a short-circuit read: the Node name when the
   * worker runs in a pod (`--node-name`; node hosts may share an address space but not a disk view),
   * else `fluid.worker.hostname`, else the listen host (loopback for a wildcard).
   */
  private nodeIdentity(): string {
    return this.config.nodeName ?? this.advertisedHost();
  }

  /** The host clients should use: `fluid.worker.hostname`, else the listen host (loopback for a wildcard). */
  private advertisedHost(): string {
    const h = this.config.properties['fluid.worker.hostname'] ?? this.config.host;
    return h === '0.0.0.0' || h === '::' || h === '' ? '127.0.0.1' : h;
  }

  tierOf(blockId: string): TierMedium | undefined {
    const b = this.store.state.get(blockId);
    return b ? this.store.state.dirSpecs()[b.dir]?.medium : undefined;
  }
}

function tailError(ref: BlockRef, fileSize: number): InvalidRequestError {
  return new InvalidRequestError(`length: a block shorter than blockSize must end at the end of the file (offset + length = ${ref.offset + ref.length}, file size ${fileSize})`);
}

/** Blocks of one loadBlocks call fetched at once: at most this many, and at most this many bytes. */
const MAX_LOAD_LANES = 8;
const LOAD_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

function pipeFile(file: string, start: number, length: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    if (length === 0) { res.end(); resolve(); return; }
    const s = createReadStream(file, { start, end: start + length - 1, highWaterMark: 1 << 20 });
    s.on('error', (err) => { res.destroy(err); reject(err); });
    res.on('close', () => { s.destroy(); resolve(); });
    s.pipe(res);
  });
}

/** Names of BlockRef fields as GET /blocks query parameters (the id is the URL path). */
const QUERY_NAMES: Readonly<Record<keyof BlockRef, string>> = {
  blockId: 'blockId (URL path)', mount: 'mount', ufsPath: 'path', fingerprint: 'fingerprint', blockSize: 'blockSize', offset: 'offset', length: 'length',
};

/** A query parameter as a non-negative integer, or NaN (missing, empty, signed, fractional, huge). */
function queryInt(v: string | null): number {
  return v !== null && /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
}

/**
 * Parses and checks a block request (core/blockstore blockRefProblem: geometry, path, and the id
 * derived from the rest); every problem is an InvalidRequestError (400) naming the field.
 */
function blockRef(body: unknown, prefix = '', name: (f: keyof BlockRef) => string = (f) => `${prefix}${f}`): BlockRef {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: keyof BlockRef, allowEmpty = false): string => {
    const v = b[k];
    if (typeof v !== 'string' || (!allowEmpty && v === '')) throw new InvalidRequestError(`${name(k)}: expected a ${allowEmpty ? '' : 'non-empty '}string`);
    return v;
  };
  const n = (k: keyof BlockRef): number => {
    const v = b[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidRequestError(`${name(k)}: expected a non-negative integer`);
    return v;
  };
  const blockId = s('blockId');
  if (!isBlockId(blockId)) throw new InvalidRequestError(`${name('blockId')}: expected 32 lowercase hex characters`);
  const ref: BlockRef = {
    blockId, mount: s('mount'), ufsPath: s('ufsPath'), fingerprint: s('fingerprint', true), blockSize: n('blockSize'), offset: n('offset'), length: n('length'),
  };
  const problem = blockRefProblem(ref, name);
  if (problem) throw new InvalidRequestError(problem);
  return ref;
}

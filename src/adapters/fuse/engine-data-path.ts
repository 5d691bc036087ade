// The FUSE client's normal data path, through the cache engine. Per block, in the order chosen by
// core/fuse/source-plan: (1) short-circuit: a worker on this host pins the block and hands back its
// block file, which is read with fs.read straight into the FUSE buffer on a cached fd; (2) a remote
// worker's GET /blocks endpoint, in chunks kept in a small memory LRU; (3) the under storage via
// UfsDataPath. A failing worker is marked suspect for a while and the next source is tried, so a
// read never fails because one worker died. Sequential reads ask workers to fill the next blocks
// (one loadBlocks call per block, so fills run in parallel). A block the local worker cannot keep
// in a tier (NotCacheable) is read over GET /blocks for a while (`notLocalMs`): the worker serves
// it from the bytes it just fetched, so asking to open it again per read would only cost RPCs.
import { close as closeFd, constants as fsConstants, fstat as fstatCb, open as openCb, read as readFd, readSync } from 'node:fs';
import { readlink, realpath } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { BlockInfo, BlockRef, FileBlockInfo } from '../../api/engine-rpc.js';
import { blockRefOf } from '../../core/blockstore/block-id.js';
import { fileBlockLayout } from '../../core/blockstore/file-block-layout.js';
import type { BlockSlice } from '../../core/fuse/block-math.js';
import { blockFileProblem, isUnderDirs, namedPathProblem } from '../../core/fuse/short-circuit-check.js';
import { planSources, type SourceAttempt, type WorkerView } from '../../core/fuse/source-plan.js';
import type { UfsEntry } from '../../core/ufs/ufs.js';
import type { MasterClient } from '../engine-client/master-client.js';
import { WorkerClient } from '../engine-client/worker-client.js';
import { RpcRemoteError } from '../rpc/rpc-errors.js';
import { ChunkCache } from './chunk-cache.js';
import type { DataPath, FileRef } from './data-path.js';
import type { DatasetLayout } from '../../core/fuse/dataset-path.js';
import type { FuseMetrics } from './fuse-metrics.js';
import type { UfsDataPath } from './ufs-data-path.js';

export interface EngineDataPathOptions {
  /** Where each mount appears in the dataset tree (the master's RPCs take dataset paths). */
  readonly layout: DatasetLayout;
  /** FuseConfig.host: workers whose host equals it are read by short-circuit. */
  readonly localHost: string;
  readonly shortCircuit: boolean;
  /** Open block files kept (each pins one block on its worker). */
  readonly maxOpenBlocks: number;
  /** An open block file unused this long (ms) is closed and unpinned. */
  readonly openBlockIdleMs: number;
  /** Bytes per GET /blocks range request from a remote worker, and per cached chunk. */
  readonly remoteChunkSize: number;
  /** Memory for chunks read from remote workers, in bytes. */
  readonly remoteCacheBytes: number;
  /** Prefetch (loadBlocks) calls in flight at once. */
  readonly maxParallelPrefetch: number;
  /** A failed worker is tried last for this long (ms). */
  readonly suspectMs: number;
  /** How often the worker list is refreshed from the master (ms). */
  readonly workerRefreshMs: number;
  /**
   * A file re-opened with the same fingerprint within this many ms reuses its block layout instead
   * of asking the master again (0 = always ask). Block ids derive from the fingerprint, so the
   * layout cannot change under it; holders learned from reads keep locations current. Within the
   * same time after a block-info answer for a mount, other files of that mount get their layout
   * computed from its block size, without asking the master.
   */
  readonly blockInfoReuseMs?: number;
  /**
   * Files of at most this many bytes are read over the block endpoint also from a same-host worker
   * (0 = never). Such a file is read in one or two FUSE requests, so mapping its block file for
   * native reads buys nothing, while short-circuit costs a lease, four file-system calls and a
   * close call per file; one GET answers with the bytes (a miss: as soon as they are fetched,
   * before the worker's tier write).
   */
  readonly smallFileBytes?: number;
  readonly log: (line: string) => void;
}

interface LocalBlock {
  readonly fd: number;
  readonly handle: string;
  readonly length: number;
  readonly worker: WorkerClient;
}

interface OpenEntry {
  readonly key: string;
  readonly blockId: string;
  readonly ready: Promise<LocalBlock>;
  /** Set once `ready` resolved: lets the hot path read without awaiting. */
  local?: LocalBlock;
  lastUsed: number;
  users: number;
}

/**
 * How long (ms) a block the local worker did not keep is read over GET /blocks without asking to
 * open it locally again; shorter than the worker's memory window for such blocks (30 s default).
 */
const NOT_LOCAL_MS = 10_000;

/** Block-location hints kept from reads and prefetches (oldest forgotten first). */
const MAX_LEARNED_BLOCKS = 100_000;

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * A same-node worker named a block file that the short-circuit rules (core/fuse/short-circuit-check)
 * refuse. The block is then read through the worker's block endpoint instead; the worker is alive.
 */
export class ShortCircuitRefusedError extends Error {
  constructor(readonly workerId: string, readonly reason: string) {
    super(`short-circuit block file of worker ${workerId} refused: ${reason}`);
  }
}

/** What a worker declared to the master about its block files (WorkerInfo.uid, tierPaths). */
interface DeclaredTiers {
  readonly instanceId: string;
  readonly uid: number;
  readonly tierPaths: readonly string[];
}

/**
 * Opens a block file named by worker `workerId` only if it passes the short-circuit rules; returns the fd.
 * The final component is opened with O_NOFOLLOW at its resolved path, and the opened file's own path
 * (/proc/self/fd) is checked again, so a symlink swapped in after the check is not followed either.
 */
async function openVerifiedBlockFile(workerId: string, file: string, length: number, declared: DeclaredTiers | undefined): Promise<number> {
  const refuse = (reason: string): ShortCircuitRefusedError => new ShortCircuitRefusedError(workerId, reason);
  if (!declared || declared.tierPaths.length === 0) throw refuse('the worker declared no tier directories');
  const named = namedPathProblem(file);
  if (named) throw refuse(named);
  let real: string;
  try {
    real = await realpath(file);
  } catch (err) {
    throw refuse(`cannot resolve ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!isUnderDirs(real, declared.tierPaths)) throw refuse(`${file} (resolved ${real}) is outside the worker's tier directories`);
  // A plain fd (not a FileHandle, which would close itself when garbage-collected): the native
  // side maps it and the sweep closes it.
  let fd: number;
  try {
    fd = await promisify(openCb)(real, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  } catch (err) {
    throw refuse(`cannot open ${real} without following links: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const opened = await readlink(`/proc/self/fd/${fd}`);
    if (!isUnderDirs(opened, declared.tierPaths)) throw refuse(`${real} opened as ${opened}, outside the worker's tier directories`);
    const st = await promisify(fstatCb)(fd);
    const problem = blockFileProblem({ isFile: st.isFile(), uid: st.uid, mode: st.mode, size: st.size }, { uid: declared.uid, length });
    if (problem) throw refuse(`${real}: ${problem}`);
    return fd;
  } catch (err) {
    closeFd(fd, () => undefined);
    throw err;
  }
}

/**
 * The same plan with every short-circuit attempt turned into a block-endpoint read of that worker
 * (same-host workers stay first), each worker once.
 */
function overEndpoint(attempts: readonly SourceAttempt[]): SourceAttempt[] {
  const out: SourceAttempt[] = [];
  const seen = new Set<string>();
  for (const a of attempts) {
    if (a.kind === 'ufs') out.push(a);
    else if (!seen.has(a.worker.id)) {
      seen.add(a.worker.id);
      out.push({ kind: 'remote', worker: a.worker });
    }
  }
  return out;
}

function readInto(fd: number, target: Buffer, targetOffset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    readFd(fd, target, targetOffset, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

export class EngineDataPath implements DataPath {
  private readonly infos = new Map<string, FileBlockInfo>();
  /** The same block info by FileRef identity: the per-read hot path skips building a string key. */
  private readonly infoByRef = new WeakMap<FileRef, FileBlockInfo>();
  /** mount -> the block size of the master's last block-info answer for it, and when (see blockInfoReuseMs). */
  private readonly blockSizes = new Map<string, { readonly blockSize: number; readonly atMs: number }>();
  /** mount\0ufsPath -> the last opened version (see blockInfoReuseMs). */
  private readonly opened = new Map<string, { readonly file: FileRef; readonly entryFingerprint: string; readonly atMs: number }>();
  private workers: WorkerView[] = [];
  private workersFetchedAt = 0;
  private workersRefresh: Promise<void> | undefined;
  private readonly clients = new Map<string, WorkerClient>();
  private readonly suspect = new Map<string, number>();
  /** blockId -> worker ids known to hold it (learned from reads and prefetches). */
  private readonly learned = new Map<string, Set<string>>();
  private readonly openBlocks = new Map<string, OpenEntry>();
  /** blockId -> an open, resolved block file (the short-circuit hot path). */
  private readonly hot = new Map<string, OpenEntry>();
  /** blockId -> the loadBlocks call in flight for it (true = the worker keeps the block). */
  private readonly prefetching = new Map<string, Promise<boolean>>();
  /**
   * blockId -> until when (ms) it is read over HTTP instead of short-circuit, and from which worker
   * (the one that fetched it but could not keep it holds its bytes).
   */
  private readonly notLocal = new Map<string, { readonly untilMs: number; readonly workerId: string }>();
  /** workerId -> its declared block-file owner and tier directories (from the master's worker list). */
  private declared = new Map<string, DeclaredTiers>();
  /** Workers whose block files were refused: read through their block endpoint only. */
  private readonly noShortCircuit = new Set<string>();
  private readonly remoteChunks: ChunkCache;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** After an unreachable master, files are read from the UFS without asking it until then (ms). */
  private masterDownUntil = 0;

  constructor(
    private readonly master: MasterClient,
    private readonly ufs: UfsDataPath,
    private readonly metrics: FuseMetrics,
    private readonly opts: EngineDataPathOptions,
  ) {
    this.remoteChunks = new ChunkCache(opts.remoteCacheBytes);
    this.sweeper = setInterval(() => this.sweep(false), Math.max(100, Math.floor(opts.openBlockIdleMs / 2)));
    this.sweeper.unref();
  }

  async openFile(mount: string, ufsPath: string, entry: UfsEntry): Promise<FileRef> {
    if (Date.now() < this.masterDownUntil) return this.ufs.openFile(mount, ufsPath, entry);
    const openKey = `${mount}\0${ufsPath}`;
    const prev = this.opened.get(openKey);
    const reuseMs = this.opts.blockInfoReuseMs ?? 0;
    if (prev && prev.entryFingerprint === entry.fingerprint && Date.now() - prev.atMs < reuseMs && this.infoByRef.has(prev.file)) {
      return prev.file;
    }
    let info: FileBlockInfo;
    const datasetPath = this.opts.layout.datasetPath(mount, ufsPath);
    const known = this.blockSizes.get(mount);
    try {
      if (known !== undefined && entry.kind === 'file' && Date.now() - known.atMs < reuseMs) {
        // Block ids derive from (mount, path, fingerprint, block size, index): with the mount's
        // block size from a recent answer, the layout needs no master round trip. It carries no
        // locations; the plan's same-host-first, hash-spread order finds blocks filled through it.
        info = fileBlockLayout({ path: datasetPath, mount, ufsPath, size: entry.size, fingerprint: entry.fingerprint }, known.blockSize, () => []);
      } else {
        info = await this.master.getBlockInfo(datasetPath);
        this.blockSizes.set(mount, { blockSize: info.blockSize, atMs: Date.now() });
      }
    } catch (err) {
      if (err instanceof RpcRemoteError) throw err;
      // No master reachable: read this file straight from the under storage.
      this.masterDownUntil = Date.now() + 5_000;
      this.opts.log(`fuse: master unreachable for block info of mount ${mount} ufs path ${ufsPath}, reading from the under storage: ${(err as Error).message}`);
      return this.ufs.openFile(mount, ufsPath, entry);
    }
    const file: FileRef = { mount, ufsPath, size: info.size, fingerprint: info.fingerprint, blockSize: info.blockSize };
    this.infos.set(this.fileKey(file), info);
    this.infoByRef.set(file, info);
    if (reuseMs > 0) {
      if (this.opened.size >= 10_000) this.opened.clear(); // bound memory; only costs re-asking
      this.opened.set(openKey, { file, entryFingerprint: entry.fingerprint, atMs: Date.now() });
    }
    await this.refreshWorkers(false);
    return file;
  }

  localBlockFd(file: FileRef, block: number): number | undefined {
    const b = this.infoOf(file)?.blocks[block];
    const e = b ? this.hot.get(b.blockId) : undefined;
    const lb = e?.local;
    if (!e || !lb || lb.length !== b?.length) return undefined;
    e.lastUsed = Date.now();
    return lb.fd;
  }

  async prepareLocalBlock(file: FileRef, block: number): Promise<number | undefined> {
    const hot = this.localBlockFd(file, block);
    if (hot !== undefined || !this.opts.shortCircuit) return hot;
    const info = this.infoOf(file);
    const b = info?.blocks[block];
    if (!info || !b) return undefined;
    // Opening ahead of the reader must not fill the block as a demand read (that could evict
    // read-ahead blocks not read yet): only a block the worker holds, or whose read-ahead it kept.
    const pending = this.prefetching.get(b.blockId);
    if (pending !== undefined && !(await pending)) return undefined;
    const { ref, holders, attempts } = this.sourcesOf(info, b);
    const first = attempts[0];
    if (first?.kind !== 'short-circuit' || (pending === undefined && !holders.includes(first.worker.id))) return undefined;
    const entry = this.openLocal(first.worker, ref, holders.includes(first.worker.id));
    entry.users += 1;
    try {
      await entry.ready;
    } catch {
      return undefined; // the read path will try the other sources when the block is read
    } finally {
      entry.users -= 1;
    }
    return this.localBlockFd(file, block);
  }

  async readSlice(file: FileRef, slice: BlockSlice, target: Buffer): Promise<void> {
    const info = this.infoOf(file);
    const block = info?.blocks[slice.block];
    if (!info || !block) {
      await this.ufs.readSlice(file, slice, target);
      return;
    }
    if (this.readHot(block.blockId, slice, target)) return;
    void this.refreshWorkers(false);
    const small = file.size <= (this.opts.smallFileBytes ?? 0);
    const { ref, holders, attempts } = this.sourcesOf(info, block, small);
    let last: unknown;
    const failed = new Set<string>();
    for (let i = 0; i < attempts.length; i++) {
      const a = attempts[i] as SourceAttempt;
      if (a.kind !== 'ufs' && failed.has(a.worker.id)) continue;
      try {
        await this.readFrom(a, ref, file, slice, target, holders, small);
        return;
      } catch (err) {
        last = err;
        if (a.kind === 'ufs') break;
        if (a.kind === 'short-circuit' && err instanceof RpcRemoteError && err.code === 'NotCacheable') {
          // Expected when the tier is smaller than the data: the worker holds the bytes for HTTP.
          // Read it from that worker next: another local worker would fetch it again.
          this.markNotLocal(block.blockId, a.worker.id);
          attempts.splice(i + 1, 0, { kind: 'remote', worker: a.worker });
          for (let j = attempts.length - 1; j > i + 1; j--) if (attempts[j]?.kind === 'short-circuit') attempts.splice(j, 1);
          continue;
        }
        this.metrics.sourceFailovers += 1;
        // A worker that answered with an error (e.g. NotCacheable: no tier can keep the block) is
        // alive and may still serve the block over HTTP; one that did not answer is skipped.
        // A refused block file was already warned about once (refuseShortCircuit).
        if (err instanceof ShortCircuitRefusedError) continue;
        if (!(err instanceof RpcRemoteError)) {
          failed.add(a.worker.id);
          this.suspect.set(a.worker.id, Date.now() + this.opts.suspectMs);
        }
        this.opts.log(`fuse: ${a.kind} read of block ${slice.block} of mount ${file.mount} ufs path ${file.ufsPath} from worker ${a.worker.id} failed, trying the next source: ${(err as Error).message}`);
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  prefetch(file: FileRef, blocks: readonly number[]): void {
    const info = this.infoOf(file);
    if (!info || this.workers.length === 0) return;
    const suspect = this.suspectSet();
    const live = this.workers.filter((w) => !suspect.has(w.id));
    if (live.length === 0) return;
    const local = live.filter((w) => w.host === this.opts.localHost);
    for (const idx of blocks) {
      const b = info.blocks[idx];
      if (!b) continue;
      if (b.locations.length > 0 || (this.learned.get(b.blockId)?.size ?? 0) > 0) continue;
      if (this.prefetching.has(b.blockId) || this.prefetching.size >= this.opts.maxParallelPrefetch) continue;
      const pool = this.opts.shortCircuit && local.length > 0 ? local : live;
      const w = pool[hash(b.blockId) % pool.length];
      if (!w) continue;
      const ref = blockRefOf(info, b);
      this.metrics.prefetchedBlocks += 1;
      const kept = this.client(w).loadBlocks([ref]).then((r) => {
        if (r.failed.length === 0) this.learn(b.blockId, w.id);
        return r.failed.length === 0;
      }, () => false).finally(() => this.prefetching.delete(b.blockId));
      this.prefetching.set(b.blockId, kept);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    await this.sweep(true);
    this.remoteChunks.clear();
    await this.ufs.close();
  }

  private async readFrom(a: SourceAttempt, ref: BlockRef, file: FileRef, slice: BlockSlice, target: Buffer, holders: readonly string[], small: boolean): Promise<void> {
    switch (a.kind) {
      case 'short-circuit': {
        const entry = this.openLocal(a.worker, ref, holders.includes(a.worker.id));
        entry.users += 1;
        try {
          const lb = await entry.ready;
          let done = 0;
          while (done < slice.length) {
            const n = await readInto(lb.fd, target, slice.targetOffset + done, slice.length - done, slice.offsetInBlock + done);
            if (n === 0) {
              // Truncated under us: drop it so the next attempt reopens (the worker re-verifies).
              this.dropOpen(entry.key);
              throw new Error(`block file of ${ref.blockId} is shorter than expected`);
            }
            done += n;
          }
          entry.lastUsed = Date.now();
          this.metrics.addRead('short_circuit', slice.length);
          return;
        } catch (err) {
          this.dropOpen(entry.key);
          throw err;
        } finally {
          entry.users -= 1;
        }
      }
      case 'remote': {
        if (small) {
          // Straight into the FUSE buffer: a small file is read once (the page cache keeps it), so
          // neither a chunk cache entry nor a buffer of its own would be used again.
          const r = await this.client(a.worker).readBlockInto(ref, slice.offsetInBlock, target.subarray(slice.targetOffset, slice.targetOffset + slice.length));
          if (r.cache === 'hit') this.metrics.cacheHits += 1;
          else this.metrics.cacheMisses += 1;
          this.learn(ref.blockId, a.worker.id);
          this.metrics.addRead('remote_worker', slice.length);
          return;
        }
        const cs = this.opts.remoteChunkSize;
        let pos = slice.offsetInBlock;
        const end = slice.offsetInBlock + slice.length;
        while (pos < end) {
          const chunk = Math.floor(pos / cs);
          const start = chunk * cs;
          const length = Math.min(cs, ref.length - start);
          const w = this.client(a.worker);
          const { data } = await this.remoteChunks.get(`${ref.blockId}\0${chunk}`, async () => {
            const r = await w.readBlock(ref, { start, length });
            if (r.bytes.length !== length) throw new Error(`worker returned ${r.bytes.length} of ${length} bytes of block ${ref.blockId}`);
            if (r.cache === 'hit') this.metrics.cacheHits += 1;
            else this.metrics.cacheMisses += 1;
            return r.bytes;
          });
          const n = Math.min(end - pos, data.length - (pos - start));
          target.set(data.subarray(pos - start, pos - start + n), slice.targetOffset + (pos - slice.offsetInBlock));
          pos += n;
        }
        this.learn(ref.blockId, a.worker.id);
        this.metrics.addRead('remote_worker', slice.length);
        return;
      }
      case 'ufs':
        await this.ufs.readRange(file, ref.offset + slice.offsetInBlock, slice.length, target, slice.targetOffset);
        return;
    }
  }

  /**
   * Hot path of warm reads: the block file is already open on a same-host worker, so copy with one
   * synchronous pread straight into the FUSE buffer (block files live on MEM/SSD tiers; a pread
   * of at most max_read bytes is cheaper than a thread-pool round trip). False = take the slow path.
   */
  private readHot(blockId: string, slice: BlockSlice, target: Buffer): boolean {
    const e = this.hot.get(blockId);
    const lb = e?.local;
    if (!e || !lb) return false;
    let done = 0;
    try {
      while (done < slice.length) {
        const n = readSync(lb.fd, target, slice.targetOffset + done, slice.length - done, slice.offsetInBlock + done);
        if (n === 0) break;
        done += n;
      }
    } catch {
      done = -1;
    }
    if (done !== slice.length) {
      this.dropOpen(e.key);
      return false;
    }
    e.lastUsed = Date.now();
    this.metrics.addRead('short_circuit', slice.length);
    return true;
  }

  private openLocal(w: WorkerView, ref: BlockRef, held: boolean): OpenEntry {
    const key = `${w.id}\0${ref.blockId}`;
    const existing = this.openBlocks.get(key);
    if (existing) return existing;
    const client = this.client(w);
    const ready = (async (): Promise<LocalBlock> => {
      const res = await client.openLocalBlock(ref);
      if (res.length !== ref.length) {
        await client.closeLocalBlock(res.handle).catch(() => undefined);
        throw new Error(`worker ${w.id} opened block ${ref.blockId} with ${res.length} bytes, expected ${ref.length}`);
      }
      let fd: number;
      try {
        fd = await openVerifiedBlockFile(w.id, res.file, ref.length, this.declared.get(w.id));
      } catch (err) {
        await client.closeLocalBlock(res.handle).catch(() => undefined);
        if (err instanceof ShortCircuitRefusedError) this.refuseShortCircuit(err);
        throw err;
      }
      if (held) this.metrics.cacheHits += 1;
      else this.metrics.cacheMisses += 1;
      this.learn(ref.blockId, w.id);
      return { fd, handle: res.handle, length: res.length, worker: client };
    })();
    const entry: OpenEntry = { key, blockId: ref.blockId, ready, lastUsed: Date.now(), users: 0 };
    ready.then((lb) => {
      if (this.openBlocks.get(key) !== entry) return;
      entry.local = lb;
      this.hot.set(ref.blockId, entry);
    }, () => this.openBlocks.delete(key));
    this.openBlocks.set(key, entry);
    this.trimOpen();
    return entry;
  }

  /** Stops short-circuit reads from this worker (until its registration changes); warns once. */
  private refuseShortCircuit(err: ShortCircuitRefusedError): void {
    if (this.noShortCircuit.has(err.workerId)) return;
    this.noShortCircuit.add(err.workerId);
    this.opts.log(`WARN fuse: ${err.message}; reading this worker's blocks through its block endpoint instead`);
  }

  private trimOpen(): void {
    if (this.openBlocks.size <= this.opts.maxOpenBlocks) return;
    const idle = [...this.openBlocks.values()].filter((e) => e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const e of idle) {
      if (this.openBlocks.size <= this.opts.maxOpenBlocks) break;
      this.dropOpen(e.key);
    }
  }

  private dropOpen(key: string): void {
    const e = this.openBlocks.get(key);
    if (!e) return;
    this.openBlocks.delete(key);
    if (this.hot.get(e.blockId) === e) this.hot.delete(e.blockId);
    e.ready.then((lb) => {
      closeFd(lb.fd, () => undefined);
      lb.worker.closeLocalBlock(lb.handle).catch(() => undefined);
    }, () => undefined);
  }

  private async sweep(all: boolean): Promise<void> {
    const now = Date.now();
    const victims = [...this.openBlocks.values()].filter((e) => all || (e.users === 0 && now - e.lastUsed > this.opts.openBlockIdleMs));
    for (const e of victims) this.dropOpen(e.key);
    if (all) await Promise.allSettled(victims.map((e) => e.ready));
  }

  private learn(blockId: string, workerId: string): void {
    let s = this.learned.get(blockId);
    if (!s) {
      // Bounded: forgetting the oldest hint only costs asking the master's block map again.
      if (this.learned.size >= MAX_LEARNED_BLOCKS) {
        const oldest = this.learned.keys().next();
        if (!oldest.done) this.learned.delete(oldest.value);
      }
      s = new Set();
      this.learned.set(blockId, s);
    }
    s.add(workerId);
  }

  private markNotLocal(blockId: string, workerId: string): void {
    // Bounded: forgetting a mark only costs one openLocalBlock call.
    if (this.notLocal.size >= 10_000) this.notLocal.clear();
    this.notLocal.set(blockId, { untilMs: Date.now() + NOT_LOCAL_MS, workerId });
  }

  /** The worker holding a not-kept block's bytes, while the mark lasts. */
  private notLocalHolder(blockId: string): string | undefined {
    const m = this.notLocal.get(blockId);
    if (m === undefined) return undefined;
    if (m.untilMs > Date.now()) return m.workerId;
    this.notLocal.delete(blockId);
    return undefined;
  }

  private suspectSet(): Set<string> {
    const now = Date.now();
    const out = new Set<string>();
    for (const [id, until] of this.suspect) {
      if (until > now) out.add(id);
      else this.suspect.delete(id);
    }
    return out;
  }

  private client(w: WorkerView): WorkerClient {
    let c = this.clients.get(w.address);
    if (!c) {
      c = new WorkerClient(w.address, this.master.credential);
      this.clients.set(w.address, c);
    }
    return c;
  }

  /** The block layout of an opened file version (by FileRef identity, else by its key). */
  private infoOf(file: FileRef): FileBlockInfo | undefined {
    return this.infoByRef.get(file) ?? this.infos.get(this.fileKey(file));
  }

  /**
   * One block's sources in the order to try them (core/fuse/source-plan; short-circuit left out
   * when disabled), with the workers known to hold it.
   */
  private sourcesOf(info: FileBlockInfo, b: BlockInfo, small = false): { ref: BlockRef; holders: string[]; attempts: SourceAttempt[] } {
    const notLocal = this.notLocalHolder(b.blockId);
    const holders = [...(notLocal !== undefined ? [notLocal] : []), ...b.locations.map((l) => l.workerId), ...(this.learned.get(b.blockId) ?? [])];
    const attempts = planSources({
      localHost: this.opts.localHost,
      workers: this.workers,
      holders,
      suspect: this.suspectSet(),
      spread: hash(b.blockId),
    }).filter((a) => a.kind !== 'short-circuit' || (this.opts.shortCircuit && notLocal === undefined && !this.noShortCircuit.has(a.worker.id)));
    return { ref: blockRefOf(info, b), holders, attempts: small ? overEndpoint(attempts) : attempts };
  }

  private fileKey(file: FileRef): string {
    return `${file.mount}\0${file.ufsPath}\0${file.fingerprint}`;
  }

  /** Refreshes the worker list when it is older than workerRefreshMs (or `force`). Never throws. */
  private async refreshWorkers(force: boolean): Promise<void> {
    if (this.closed) return;
    if (!force && Date.now() - this.workersFetchedAt < this.opts.workerRefreshMs) return;
    if (!this.workersRefresh) {
      this.workersRefresh = this.master.workers().then((r) => {
        this.workers = r.workers.map((w) => ({ id: w.id, host: w.host, address: w.address }));
        const before = this.declared;
        this.declared = new Map(r.workers.map((w) => [w.id, { uid: w.uid, tierPaths: [...w.tierPaths], instanceId: w.instanceId }]));
        // A worker that registered anew (another instance) gets a fresh chance at short-circuit reads.
        for (const id of this.noShortCircuit) {
          const now = this.declared.get(id);
          if (!now || before.get(id)?.instanceId !== now.instanceId) this.noShortCircuit.delete(id);
        }
        this.workersFetchedAt = Date.now();
        // Holders that are gone must not be preferred any more.
        const ids = new Set(this.workers.map((w) => w.id));
        for (const s of this.learned.values()) for (const id of s) if (!ids.has(id)) s.delete(id);
      }, (err: unknown) => {
        this.workersFetchedAt = Date.now();
        this.opts.log(`fuse: cannot refresh the worker list: ${(err as Error).message}`);
      }).finally(() => { this.workersRefresh = undefined; });
    }
    await this.workersRefresh;
  }
}

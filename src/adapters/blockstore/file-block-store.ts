// The worker's on-disk block store over tiers. Each tier directory holds `fluid-blocks/`:
//   <blockId>.blk   the block's bytes
//   <blockId>.meta  JSON sidecar { v: 1, blockId, length, sha256 } written after the .blk
// Writes go to temp names and are renamed into place, so a crash leaves no half block under a
// final name. Integrity: a block is verified (length + sha256) at startup rescan and again whenever
// its file's (size, mtime, ctime, inode) stamp differs from the one recorded at the last
// verification; truncation or an in-place rewrite changes the stamp. A block that fails is dropped
// (both files deleted) and reported as removed; the caller refetches it.
//
// Placement, watermarks, eviction, pins and leases are decided by the pure BlockStoreState.
// Eviction and dropping unlink the files; a block file is never truncated or rewritten in place
// (new bytes always arrive under a new inode by rename), so a reader that holds an evicted block's
// file open (a FUSE short-circuit fd) keeps reading that block's exact bytes.
import { createHash } from 'node:crypto';
import { createReadStream, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CachedBlockRef, TierMedium, TierUsage } from '../../api/engine-rpc.js';
import { isBlockId } from '../../core/blockstore/block-id.js';
import { BlockStoreState, type DirSpec, type FillPurpose, type PinRules } from '../../core/blockstore/block-store-state.js';
import type { EvictionPolicy } from '../../core/blockstore/eviction-policy.js';

export const BLOCK_SUBDIR = 'fluid-blocks';

/** Blocks up to this size are written to a MEM tier synchronously (see write()). */
const SYNC_WRITE_MAX_BYTES = 4 * 1024 * 1024;

interface Meta {
  readonly v: 1;
  readonly blockId: string;
  readonly length: number;
  readonly sha256: string;
}

export interface BlockStoreEvents {
  /** A block failed verification and was dropped. */
  onCorrupt?(blockId: string, file: string, reason: string): void;
  onEvict?(blockId: string, length: number): void;
}

export interface VerifiedBlock {
  readonly file: string;
  readonly length: number;
  readonly checksum: string;
  readonly tier: TierMedium;
}

export type PutResult = { readonly stored: true; readonly tier: TierMedium } | { readonly stored: false; readonly reason: string };

export class FileBlockStore {
  readonly state: BlockStoreState;
  private readonly dirs: readonly DirSpec[];
  /** blockId -> sha256 hex of its bytes. */
  private readonly sums = new Map<string, string>();
  /** blockId -> file stamp at the last successful verification. */
  private readonly stamps = new Map<string, string>();
  private added = new Map<string, CachedBlockRef>();
  private removed = new Set<string>();
  corruptDropped = 0;
  evicted = 0;
  /** Blocks removed by free() (on-demand clean). */
  freed = 0;
  /** Numbers temp file names (unique within this process; a tier directory belongs to one worker). */
  private tmpSeq = 0;

  constructor(dirs: readonly DirSpec[], newPolicy: () => EvictionPolicy, private readonly now: () => number, private readonly events: BlockStoreEvents = {}, rules?: PinRules) {
    this.dirs = dirs;
    this.state = new BlockStoreState(dirs, newPolicy, rules);
  }

  private blockDir(dir: number): string {
    return join((this.dirs[dir] as DirSpec).path, BLOCK_SUBDIR);
  }

  private files(dir: number, blockId: string): { blk: string; meta: string } {
    const d = this.blockDir(dir);
    return { blk: join(d, `${blockId}.blk`), meta: join(d, `${blockId}.meta`) };
  }

  /** Creates the tier directories, rescans them, verifies and adopts every good block, deletes the rest. */
  async init(): Promise<{ adopted: number; dropped: number }> {
    let adopted = 0;
    let dropped = 0;
    for (let i = 0; i < this.dirs.length; i++) {
      const bd = this.blockDir(i);
      await mkdir(bd, { recursive: true });
      const names = await readdir(bd);
      const present = new Set(names);
      for (const name of names) {
        const full = join(bd, name);
        if (name.includes('.tmp-')) { await rm(full, { force: true }); continue; }
        const m = /^([0-9a-f]{32})\.(blk|meta)$/.exec(name);
        if (!m) continue; // not ours: leave it alone
        const id = m[1] as string;
        if (m[2] === 'meta') { if (!present.has(`${id}.blk`)) await rm(full, { force: true }); continue; }
        if (this.state.get(id)) { await rm(full, { force: true }); continue; } // duplicate in another dir
        const reason = await this.verifyFiles(i, id);
        if (reason) {
          dropped++;
          this.corruptDropped++;
          this.events.onCorrupt?.(id, full, reason);
          await this.deleteFiles(i, id);
          continue;
        }
        adopted++;
      }
    }
    this.added.clear();
    this.removed.clear();
    return { adopted, dropped };
  }

  /** Verifies the files of a block in `dir`; adopts it into the state. Returns a failure reason or undefined. */
  private async verifyFiles(dir: number, id: string): Promise<string | undefined> {
    const f = this.files(dir, id);
    let meta: Meta;
    try {
      meta = JSON.parse(await readFile(f.meta, 'utf8')) as Meta;
    } catch {
      return 'missing or unreadable checksum sidecar';
    }
    if (meta.v !== 1 || meta.blockId !== id || typeof meta.length !== 'number' || typeof meta.sha256 !== 'string') return 'malformed checksum sidecar';
    const r = await this.hashFile(f.blk, meta.length);
    if (typeof r === 'string') return r;
    if (r.sha256 !== meta.sha256) return `checksum mismatch (expected sha256 ${meta.sha256.slice(0, 12)}…, got ${r.sha256.slice(0, 12)}…)`;
    this.sums.set(id, meta.sha256);
    this.stamps.set(id, r.stamp);
    this.state.adopt(id, dir, meta.length, this.now());
    return undefined;
  }

  private async hashFile(file: string, expectedLength: number): Promise<{ sha256: string; stamp: string } | string> {
    let before;
    try {
      before = await stat(file);
    } catch {
      return 'block file missing';
    }
    if (before.size !== expectedLength) return `length ${before.size} != expected ${expectedLength} (truncated or extended)`;
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    return { sha256: h.digest('hex'), stamp: stampOf(before) };
  }

  has(blockId: string): boolean {
    return this.state.get(blockId) !== undefined;
  }

  /**
   * Ensures a cached block is intact and returns its file; undefined if not cached or found corrupt
   * (then it is dropped). A verified, unchanged file is not re-hashed.
   */
  async verified(blockId: string): Promise<VerifiedBlock | undefined> {
    const b = this.state.get(blockId);
    if (!b) return undefined;
    const f = this.files(b.dir, blockId);
    const sum = this.sums.get(blockId) ?? '';
    let reason: string | undefined;
    try {
      const st = await stat(f.blk);
      if (st.size !== b.length) reason = `length ${st.size} != expected ${b.length} (truncated or extended)`;
      else if (stampOf(st) !== this.stamps.get(blockId)) {
        const r = await this.hashFile(f.blk, b.length);
        if (typeof r === 'string') reason = r;
        else if (r.sha256 !== sum) reason = 'checksum mismatch';
        else this.stamps.set(blockId, r.stamp);
      }
    } catch {
      reason = 'block file missing';
    }
    if (reason !== undefined) {
      if (this.state.get(blockId) === b) {
        this.corruptDropped++;
        this.events.onCorrupt?.(blockId, f.blk, reason);
        this.drop(blockId);
        await this.deleteFiles(b.dir, blockId);
      }
      return undefined;
    }
    this.state.access(blockId, this.now());
    return { file: f.blk, length: b.length, checksum: `sha256:${sum}`, tier: (this.dirs[b.dir] as DirSpec).medium };
  }

  /** Stores a block's bytes (evicting as needed); when no tier can hold it, nothing is stored. */
  async put(blockId: string, bytes: Uint8Array, purpose: FillPurpose = 'read'): Promise<PutResult> {
    return this.beginPut(blockId, bytes, purpose).done;
  }

  /** Whether a block of `length` bytes would be placed now (read-ahead asks before fetching). */
  placeable(length: number): boolean {
    return this.state.placeable(length, this.now());
  }

  /**
   * Decides placement synchronously (reserving room, so `placed` is known at once) and writes the
   * block in the background; `done` settles when the block is on disk (or the write failed).
   */
  beginPut(blockId: string, bytes: Uint8Array, purpose: FillPurpose = 'read'): { readonly placed: boolean; readonly done: Promise<PutResult> } {
    if (!isBlockId(blockId)) throw new RangeError(`not a block id: ${blockId}`);
    const existing = this.state.get(blockId);
    if (existing) return { placed: true, done: Promise.resolve({ stored: true, tier: (this.dirs[existing.dir] as DirSpec).medium }) };
    const placement = this.state.reserve(bytes.length, this.now(), purpose);
    if (placement.kind === 'bypass') return { placed: false, done: Promise.resolve({ stored: false, reason: placement.reason }) };
    for (const v of placement.evicted) {
      this.evicted++;
      this.noteRemoved(v.blockId);
      this.events.onEvict?.(v.blockId, v.length);
      // Unlinked before returning, so bytes on disk never exceed used + reserved (the quota holds at every instant).
      const f = this.files(v.dir, v.blockId);
      rmSync(f.blk, { force: true });
      rmSync(f.meta, { force: true });
    }
    return { placed: true, done: this.write(blockId, bytes, placement.dir, purpose) };
  }

  private async write(blockId: string, bytes: Uint8Array, dir: number, purpose: FillPurpose): Promise<PutResult> {
    const f = this.files(dir, blockId);
    const suffix = `.tmp-${process.pid}-${(this.tmpSeq++).toString(36)}`;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const meta: Meta = { v: 1, blockId, length: bytes.length, sha256 };
    // A MEM tier is memory (tmpfs): writing a block there is a copy, done synchronously, which
    // costs less than the thread-pool round trips of five asynchronous calls. Other tiers may
    // block on a disk, and write asynchronously.
    const sync = (this.dirs[dir] as DirSpec).medium === 'MEM' && bytes.length <= SYNC_WRITE_MAX_BYTES;
    try {
      let st: { size: number; mtimeMs: number; ctimeMs: number; ino: number };
      if (sync) {
        writeFileSync(f.blk + suffix, bytes);
        writeFileSync(f.meta + suffix, JSON.stringify(meta));
        renameSync(f.blk + suffix, f.blk);
        renameSync(f.meta + suffix, f.meta);
        st = statSync(f.blk);
      } else {
        await writeFile(f.blk + suffix, bytes);
        await writeFile(f.meta + suffix, JSON.stringify(meta));
        await rename(f.blk + suffix, f.blk);
        await rename(f.meta + suffix, f.meta);
        st = await stat(f.blk);
      }
      this.sums.set(blockId, sha256);
      this.stamps.set(blockId, stampOf(st));
    } catch (err) {
      this.state.release(dir, bytes.length);
      await rm(f.blk + suffix, { force: true });
      await rm(f.meta + suffix, { force: true });
      await this.deleteFiles(dir, blockId);
      return { stored: false, reason: `cannot write block file: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.state.commit(blockId, dir, bytes.length, this.now(), purpose);
    const tier = (this.dirs[dir] as DirSpec).medium;
    this.removed.delete(blockId);
    this.added.set(blockId, { blockId, length: bytes.length, tier });
    return { stored: true, tier };
  }

  pin(blockId: string): void { this.state.pin(blockId); }
  unpin(blockId: string): void { this.state.unpin(blockId); }
  /** A short-circuit reader's lease on a block (see BlockStoreState.lease). */
  lease(blockId: string, leaseId: string): void { this.state.lease(blockId, leaseId, this.now()); }
  endLease(leaseId: string): string | undefined { return this.state.endLease(leaseId); }

  /**
   * Removes a block now (on-demand clean), whatever its pins and leases: its files are unlinked, so an
   * open reader keeps the bytes it has open. Returns the freed length, or undefined when not held.
   */
  async free(blockId: string): Promise<number | undefined> {
    const b = this.state.get(blockId);
    if (!b) return undefined;
    this.drop(blockId);
    this.freed++;
    await this.deleteFiles(b.dir, blockId);
    return b.length;
  }

  /** Every block held now (for a full report to the master). */
  report(): CachedBlockRef[] {
    return this.state.all().map((b) => ({ blockId: b.blockId, length: b.length, tier: (this.dirs[b.dir] as DirSpec).medium }));
  }

  /** Block changes since the last call (for the heartbeat). */
  drainChanges(): { added: CachedBlockRef[]; removed: string[] } {
    const out = { added: [...this.added.values()], removed: [...this.removed] };
    this.added = new Map();
    this.removed = new Set();
    return out;
  }

  /** Forget pending changes (a full report is about to be sent). */
  resetChanges(): void {
    this.added = new Map();
    this.removed = new Set();
  }

  usage(): TierUsage[] {
    return this.state.usage();
  }

  private drop(blockId: string): void {
    this.state.remove(blockId);
    this.noteRemoved(blockId);
  }

  private noteRemoved(blockId: string): void {
    this.sums.delete(blockId);
    this.stamps.delete(blockId);
    if (!this.added.delete(blockId)) this.removed.add(blockId);
  }

  private async deleteFiles(dir: number, blockId: string): Promise<void> {
    const f = this.files(dir, blockId);
    await rm(f.blk, { force: true });
    await rm(f.meta, { force: true });
  }
}

function stampOf(st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

// Durable storage of one Raft peer under journalDir/raft: log entries in a SegmentLog (seq = Raft
// index, payload = JSON {t: term, d: data}), snapshots in a CheckpointStore (seq = snapshot index,
// payload = u32 term + data), the hard state in an atomically replaced file. An in-memory copy
// of the entries since the last snapshot (the core's MemoryStorage) serves the core's LogStorage reads.
// persist() follows the Ready contract: snapshot, then entries (truncating conflicts), then hard
// state, each durable (fsync) before it returns.
import { crc32 as zcrc } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { decodeFrames, encodeFrame } from '../../core/journal/frame-codec.js';
import { JournalCorruptError } from '../../core/journal/journal-errors.js';
import type { LogStorage, StateStorage } from '../../core/raft/storage.js';
import { MemoryStorage } from '../../core/raft/memory-storage.js';
import type { Entry, HardState, Ready, Snapshot } from '../../core/raft/types.js';
import { CheckpointStore } from './checkpoint-store.js';
import { writeFileAtomic } from './fs-sync.js';
import type { JournalLayout } from './journal-dir.js';
import { SegmentLog } from './segment-log.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export class RaftFileStorage implements LogStorage, StateStorage {
  /** The in-memory copy (hard state, snapshot, entries since it) that serves the core's reads. */
  private readonly mem = new MemoryStorage();
  private readonly log: SegmentLog;
  private readonly ckpts: CheckpointStore;

  constructor(private readonly layout: JournalLayout, segmentBytes: number) {
    this.log = new SegmentLog(layout.raftLogDir, segmentBytes);
    this.ckpts = new CheckpointStore(layout.raftCheckpointDir);
  }

  /** Loads everything from disk; returns a description of a dropped torn tail, if any. */
  open(): string | undefined {
    if (existsSync(this.layout.raftHardState)) {
      const d = decodeFrames(readFileSync(this.layout.raftHardState), zcrc);
      const f = d.frames[0];
      if (!f || d.tail !== undefined) throw new JournalCorruptError(this.layout.raftHardState, d.tail ?? 'empty');
      this.mem.setHardState(JSON.parse(dec.decode(f.payload)) as HardState);
    }
    const c = this.ckpts.latest();
    if (c) {
      const term = new DataView(c.payload.buffer, c.payload.byteOffset, 4).getUint32(0);
      this.mem.applySnapshot({ index: c.seq, term, data: c.payload.slice(4) });
    }
    const opened = this.log.open(this.mem.firstIndex());
    const ents: Entry[] = [];
    for (const r of opened.records) {
      const want = this.mem.firstIndex() + ents.length;
      if (r.seq !== want) throw new JournalCorruptError(this.layout.raftLogDir, `entry ${r.seq} where ${want} was expected`);
      const p = JSON.parse(dec.decode(r.payload)) as { t: number; d: string };
      ents.push({ index: r.seq, term: p.t, data: p.d });
    }
    this.mem.append(ents);
    return opened.droppedTail;
  }

  hardState(): HardState { return this.mem.hardState(); }
  firstIndex(): number { return this.mem.firstIndex(); }
  lastIndex(): number { return this.mem.lastIndex(); }
  term(index: number): number | undefined { return this.mem.term(index); }
  entries(lo: number, hi: number, maxEntries: number): Entry[] { return this.mem.entries(lo, hi, maxEntries); }
  snapshot(): Snapshot { return this.mem.snapshot(); }

  persist(rd: Ready): void {
    if (rd.snapshot) this.installSnapshot(rd.snapshot);
    const ents = rd.entries.filter((e) => e.index > this.mem.snapshot().index);
    const f = ents[0];
    if (f) {
      if (f.index <= this.lastIndex()) this.log.truncateFrom(f.index);
      this.log.append(ents.map((e) => ({ seq: e.index, payload: enc.encode(JSON.stringify({ t: e.term, d: e.data })) })));
      this.mem.append(ents);
    }
    if (rd.hardState) {
      // Term and vote must be durable before any message goes out; the commit index need not
      // (a restarted peer relearns it), so a commit-only change is not worth two fsyncs.
      const hs = this.mem.hardState();
      if (rd.hardState.term !== hs.term || rd.hardState.vote !== hs.vote) {
        writeFileAtomic(this.layout.raftHardState, encodeFrame(0, enc.encode(JSON.stringify(rd.hardState)), zcrc));
      }
      this.mem.setHardState(rd.hardState);
    }
  }

  /** Takes a snapshot of the applied state at `index` and drops the log it covers. */
  compact(index: number, data: Uint8Array): void {
    const term = this.term(index);
    if (index <= this.mem.snapshot().index || term === undefined) return;
    this.ckpts.write(index, snapshotPayload(term, data));
    this.mem.compact(index, data);
    this.log.rotate();
    this.log.dropBefore(index + 1);
  }

  close(): void { this.log.close(); }

  /** A snapshot from the leader replaces the whole log (one no newer than ours is ignored, on disk as in memory). */
  private installSnapshot(s: Snapshot): void {
    if (s.index <= this.mem.snapshot().index) return;
    this.ckpts.write(s.index, snapshotPayload(s.term, s.data));
    this.log.reset();
    this.mem.applySnapshot(s);
  }
}

function snapshotPayload(term: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  new DataView(out.buffer).setUint32(0, term);
  out.set(data, 4);
  return out;
}

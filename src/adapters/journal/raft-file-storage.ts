// Durable storage of one Raft peer under journalDir/raft: log entries in a SegmentLog (seq = Raft
// index, payload = JSON {t: term, d: data}), snapshots in a CheckpointStore (seq = snapshot index,
// payload = u32 term + data), the hard state in an atomically replaced file. An in-memory copy
// of the entries since the last snapshot serves the core's LogStorage reads.
// persist() follows the Ready contract: snapshot, then entries (truncating conflicts), then hard
// state, each durable (fsync) before it returns.
import { crc32 as zcrc } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { decodeFrames, encodeFrame } from '../../core/journal/frame-codec.js';
import { JournalCorruptError } from '../../core/journal/journal-errors.js';
import type { LogStorage, StateStorage } from '../../core/raft/storage.js';
import { emptyHardState, type Entry, type HardState, type Ready, type Snapshot } from '../../core/raft/types.js';
import { CheckpointStore } from './checkpoint-store.js';
import { writeFileAtomic } from './fs-sync.js';
import type { JournalLayout } from './journal-dir.js';
import { SegmentLog } from './segment-log.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export class RaftFileStorage implements LogStorage, StateStorage {
  private hs: HardState = emptyHardState;
  private snap: Snapshot = { index: 0, term: 0, data: new Uint8Array() };
  private ents: Entry[] = [];
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
      this.hs = JSON.parse(dec.decode(f.payload)) as HardState;
    }
    const c = this.ckpts.latest();
    if (c) {
      const term = new DataView(c.payload.buffer, c.payload.byteOffset, 4).getUint32(0);
      this.snap = { index: c.seq, term, data: c.payload.slice(4) };
    }
    const opened = this.log.open(this.snap.index + 1);
    for (const r of opened.records) {
      const want = this.snap.index + 1 + this.ents.length;
      if (r.seq !== want) throw new JournalCorruptError(this.layout.raftLogDir, `entry ${r.seq} where ${want} was expected`);
      const p = JSON.parse(dec.decode(r.payload)) as { t: number; d: string };
      this.ents.push({ index: r.seq, term: p.t, data: p.d });
    }
    return opened.droppedTail;
  }

  hardState(): HardState { return this.hs; }
  firstIndex(): number { return this.snap.index + 1; }
  lastIndex(): number { return this.snap.index + this.ents.length; }

  term(index: number): number | undefined {
    if (index === this.snap.index) return this.snap.term;
    if (index < this.snap.index || index > this.lastIndex()) return undefined;
    return this.ents[index - this.snap.index - 1]?.term;
  }

  entries(lo: number, hi: number, maxEntries: number): Entry[] {
    const off = this.snap.index + 1;
    return this.ents.slice(lo - off, Math.min(hi, lo + maxEntries) - off);
  }

  snapshot(): Snapshot { return this.snap; }

  persist(rd: Ready): void {
    if (rd.snapshot) this.installSnapshot(rd.snapshot);
    const first = rd.entries[0];
    if (first) {
      const ents = rd.entries.filter((e) => e.index > this.snap.index);
      const f = ents[0];
      if (f) {
        if (f.index <= this.lastIndex()) {
          this.log.truncateFrom(f.index);
          this.ents.length = f.index - this.snap.index - 1;
        }
        this.log.append(ents.map((e) => ({ seq: e.index, payload: enc.encode(JSON.stringify({ t: e.term, d: e.data })) })));
        this.ents.push(...ents);
      }
    }
    if (rd.hardState) {
      // Term and vote must be durable before any message goes out; the commit index need not
      // (a restarted peer relearns it), so a commit-only change is not worth two fsyncs.
      if (rd.hardState.term !== this.hs.term || rd.hardState.vote !== this.hs.vote) {
        writeFileAtomic(this.layout.raftHardState, encodeFrame(0, enc.encode(JSON.stringify(rd.hardState)), zcrc));
      }
      this.hs = rd.hardState;
    }
  }

  /** Takes a snapshot of the applied state at `index` and drops the log it covers. */
  compact(index: number, data: Uint8Array): void {
    const term = this.term(index);
    if (index <= this.snap.index || term === undefined) return;
    this.ckpts.write(index, snapshotPayload(term, data));
    this.ents = this.ents.slice(index - this.snap.index);
    this.snap = { index, term, data };
    this.log.rotate();
    this.log.dropBefore(index + 1);
  }

  close(): void { this.log.close(); }

  private installSnapshot(s: Snapshot): void {
    this.ckpts.write(s.index, snapshotPayload(s.term, s.data));
    this.log.reset();
    this.snap = s;
    this.ents = [];
  }
}

function snapshotPayload(term: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  new DataView(out.buffer).setUint32(0, term);
  out.set(data, 4);
  return out;
}

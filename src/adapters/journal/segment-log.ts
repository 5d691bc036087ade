// Append-only log of framed records (src/core/journal/frame-codec.ts) split into segment files
// `seg-<firstSeq>.log` in one directory. append() returns only after fdatasync. Records carry
// consecutive sequence numbers across segments.
//
// Recovery (open): every segment is decoded; a torn or checksum-failing tail of the LAST segment
// is truncated away (a crash mid-write); damage anywhere else throws JournalCorruptError.
// Failed writes (ENOSPC, EIO) truncate the segment back to its last good size, so the file never
// holds a partial frame that a later append would bury.
import { crc32 as zcrc } from 'node:zlib';
import { closeSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFrames, encodeFrame } from '../../core/journal/frame-codec.js';
import { JournalCorruptError, JournalWriteError } from '../../core/journal/journal-errors.js';
import { fsyncDir } from './fs-sync.js';

export interface LogRecord {
  readonly seq: number;
  readonly payload: Uint8Array;
}

interface Segment {
  readonly name: string;
  readonly firstSeq: number;
  /** Byte offset of each record; offsets[i] holds seq firstSeq + i. */
  offsets: number[];
  size: number;
}

export interface OpenResult {
  readonly records: LogRecord[];
  /** Description of a dropped torn tail, if any. */
  readonly droppedTail?: string;
}

const SEGMENT_RE = /^seg-(\d{20})\.log$/;

function segName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(20, '0')}.log`;
}

export class SegmentLog {
  private segments: Segment[] = [];
  private fd: number | undefined;

  constructor(readonly dir: string, private readonly segmentBytes = 64 * 1024 * 1024) {}

  /** Loads all records with seq >= fromSeq (older ones are skipped, not returned). */
  open(fromSeq = 0): OpenResult {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir).filter((n) => SEGMENT_RE.test(n)).sort();
    const records: LogRecord[] = [];
    let droppedTail: string | undefined;
    this.segments = [];
    names.forEach((name, i) => {
      const path = join(this.dir, name);
      const firstSeq = Number(SEGMENT_RE.exec(name)?.[1]);
      const buf = readFileSync(path);
      const dec = decodeFrames(buf, zcrc);
      const last = i === names.length - 1;
      if (dec.tail !== undefined) {
        if (!last) throw new JournalCorruptError(path, dec.tail);
        droppedTail = `${path}: ${dec.tail}; dropped ${buf.length - dec.validEnd} bytes`;
        const fd = openSync(path, 'r+');
        try { ftruncateSync(fd, dec.validEnd); fdatasyncSync(fd); } finally { closeSync(fd); }
      }
      const first = dec.frames[0];
      if (first && first.seq !== firstSeq) throw new JournalCorruptError(path, `first record is ${first.seq}, file name says ${firstSeq}`);
      const prev = this.segments[this.segments.length - 1];
      if (prev && prev.firstSeq + prev.offsets.length !== firstSeq) {
        throw new JournalCorruptError(path, `segment starts at ${firstSeq} but the previous one ends at ${prev.firstSeq + prev.offsets.length - 1}`);
      }
      this.segments.push({ name, firstSeq, offsets: dec.frames.map((f) => f.offset), size: dec.validEnd });
      for (const f of dec.frames) if (f.seq >= fromSeq) records.push({ seq: f.seq, payload: f.payload });
    });
    return droppedTail !== undefined ? { records, droppedTail } : { records };
  }

  /** Sequence number the next appended record must carry (0 when the log has never been written). */
  nextSeq(): number {
    const s = this.segments[this.segments.length - 1];
    return s ? s.firstSeq + s.offsets.length : 0;
  }

  /** Durably appends records (consecutive seqs starting at nextSeq(), or any seq if empty). */
  append(records: readonly LogRecord[]): void {
    const first = records[0];
    if (!first) return;
    let seg = this.segments[this.segments.length - 1];
    if (seg && seg.offsets.length > 0 && first.seq !== this.nextSeq()) {
      throw new JournalCorruptError(join(this.dir, seg.name), `append of ${first.seq} where ${this.nextSeq()} was expected`);
    }
    if (!seg || (seg.size >= this.segmentBytes && seg.offsets.length > 0) || (seg.offsets.length === 0 && seg.firstSeq !== first.seq)) {
      seg = this.startSegment(first.seq);
    }
    const frames = records.map((r) => encodeFrame(r.seq, r.payload, zcrc));
    const total = frames.reduce((n, f) => n + f.length, 0);
    const buf = new Uint8Array(total);
    const offsets: number[] = [];
    let off = 0;
    for (const f of frames) { buf.set(f, off); offsets.push(seg.size + off); off += f.length; }
    const fd = this.fdFor(seg);
    try {
      let w = 0;
      while (w < buf.length) w += writeSync(fd, buf, w, buf.length - w, seg.size + w);
      fdatasyncSync(fd);
    } catch (err) {
      // Leave no partial frame behind; if even that fails, reopening will drop the torn tail.
      try { ftruncateSync(fd, seg.size); } catch { /* recovered by the next open() */ }
      const code = (err as NodeJS.ErrnoException).code;
      throw new JournalWriteError(this.dir, code === 'ENOSPC' ? 'disk full (ENOSPC)' : (err instanceof Error ? err.message : String(err)), { cause: err });
    }
    seg.offsets.push(...offsets);
    seg.size += total;
  }

  /** Removes every record with seq >= `seq` (Raft log conflicts). */
  truncateFrom(seq: number): void {
    while (this.segments.length > 0) {
      const seg = this.segments[this.segments.length - 1]!;
      if (seq <= seg.firstSeq) {
        this.closeFd();
        unlinkSync(join(this.dir, seg.name));
        this.segments.pop();
        continue;
      }
      const keep = seq - seg.firstSeq;
      if (keep < seg.offsets.length) {
        const size = seg.offsets[keep]!;
        const fd = this.fdFor(seg);
        ftruncateSync(fd, size);
        fdatasyncSync(fd);
        seg.offsets.length = keep;
        seg.size = size;
      }
      break;
    }
    fsyncDir(this.dir);
  }

  /** Closes the current segment; the next append starts a new one. */
  rotate(): void {
    const seg = this.segments[this.segments.length - 1];
    if (seg && seg.offsets.length > 0) this.startSegment(this.nextSeq());
  }

  /** Deletes whole segments whose records all have seq < `seq` (covered by a checkpoint). */
  dropBefore(seq: number): void {
    let dropped = false;
    while (this.segments.length > 1) {
      const seg = this.segments[0]!;
      const next = this.segments[1]!;
      if (next.firstSeq > seq) break;
      unlinkSync(join(this.dir, seg.name));
      this.segments.shift();
      dropped = true;
    }
    if (dropped) fsyncDir(this.dir);
  }

  /** Deletes every segment (a snapshot replaced the whole log); the next append sets the start. */
  reset(): void {
    this.closeFd();
    for (const s of this.segments) unlinkSync(join(this.dir, s.name));
    this.segments = [];
    fsyncDir(this.dir);
  }

  /** Total bytes in all segments. */
  bytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  close(): void {
    this.closeFd();
  }

  private startSegment(firstSeq: number): Segment {
    this.closeFd();
    const cur = this.segments[this.segments.length - 1];
    if (cur && cur.offsets.length === 0) {
      unlinkSync(join(this.dir, cur.name));
      this.segments.pop();
    }
    const seg: Segment = { name: segName(firstSeq), firstSeq, offsets: [], size: 0 };
    closeSync(openSync(join(this.dir, seg.name), 'w', 0o600));
    fsyncDir(this.dir);
    this.segments.push(seg);
    return seg;
  }

  private fdFor(seg: Segment): number {
    if (this.fd === undefined) this.fd = openSync(join(this.dir, seg.name), 'r+');
    return this.fd;
  }

  private closeFd(): void {
    if (this.fd !== undefined) { closeSync(this.fd); this.fd = undefined; }
  }
}

// The single-master journal: every mutation is framed, appended to the segment log and fsync'd
// BEFORE it is applied and acknowledged (group commit: proposals arriving together share one
// write + fdatasync). Every `checkpointEntries` entries (or `checkpointBytes` of log) the whole
// replicated state is checkpointed and the covered segments deleted, bounding restart time.
// Restart: load the newest checkpoint, replay the later records (a torn tail is dropped by
// SegmentLog.open). A failed write (disk full) rejects the batch with JournalWriteError and
// changes nothing; reads keep being served from memory; the next write tries again.
import type { Logger } from '../apiserver/logger.js';
import { JournaledState, type JournalRecord, type JournaledSnapshot } from '../../core/journal/journaled-state.js';
import { JournalCorruptError } from '../../core/journal/journal-errors.js';
import type { ReplicatedStateMachine } from '../../core/master/journal-port.js';
import { CheckpointStore } from './checkpoint-store.js';
import { ensureJournalDir, formatJournal } from './journal-dir.js';
import type { JournalProperties } from './journal-properties.js';
import { SegmentLog } from './segment-log.js';

export interface FileJournalOptions {
  readonly dir: string;
  readonly selfId: string;
  readonly props: Pick<JournalProperties, 'checkpointEntries' | 'checkpointBytes' | 'segmentBytes' | 'formatOnStart'>;
  readonly log: Logger;
}

interface Pending<E, R> {
  readonly rec: JournalRecord<E>;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface RecoveryStats {
  readonly checkpointSeq: number;
  readonly replayed: number;
  readonly droppedTail?: string;
}

export class FileJournal<E, R, S> {
  private readonly state: JournaledState<E, R, S>;
  private readonly segments: SegmentLog;
  private readonly checkpoints: CheckpointStore;
  /** Sequence number of the last record applied. */
  private seq = 0;
  private lastCheckpointSeq = 0;
  private bytesAtCheckpoint = 0;
  private queue: Pending<E, R>[] = [];
  private flushScheduled = false;
  readonly recovery: RecoveryStats;

  constructor(sm: ReplicatedStateMachine<E, R, S>, private readonly o: FileJournalOptions) {
    if (o.props.formatOnStart) {
      formatJournal(o.dir);
      o.log.warn('journal formatted on start', { dir: o.dir });
    }
    const layout = ensureJournalDir(o.dir);
    this.state = new JournaledState(sm);
    this.checkpoints = new CheckpointStore(layout.checkpointDir);
    this.segments = new SegmentLog(layout.logDir, o.props.segmentBytes);
    const ckpt = this.checkpoints.latest();
    if (ckpt) {
      this.state.restore(JSON.parse(dec.decode(ckpt.payload)) as JournaledSnapshot<S, R>);
      this.seq = ckpt.seq;
      this.lastCheckpointSeq = ckpt.seq;
    }
    const opened = this.segments.open(this.seq + 1);
    let replayed = 0;
    for (const r of opened.records) {
      if (r.seq !== this.seq + 1) {
        throw new JournalCorruptError(o.dir, `record ${r.seq} follows ${this.seq}: the log has a gap after the checkpoint`);
      }
      this.applyQuietly(JSON.parse(dec.decode(r.payload)) as JournalRecord<E>);
      this.seq = r.seq;
      replayed++;
    }
    this.bytesAtCheckpoint = 0;
    if (opened.droppedTail) o.log.warn('journal: dropped a torn or corrupt tail record', { detail: opened.droppedTail });
    this.recovery = { checkpointSeq: this.lastCheckpointSeq, replayed, ...(opened.droppedTail ? { droppedTail: opened.droppedTail } : {}) };
    o.log.info('journal recovered', { dir: o.dir, checkpointSeq: this.lastCheckpointSeq, replayed, lastSeq: this.seq });
  }

  propose(entry: E, requestId?: string): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ rec: requestId !== undefined ? { entry, requestId } : { entry }, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  leaderId(): string {
    return this.o.selfId;
  }

  isLeader(): boolean {
    return true;
  }

  /** Last applied journal sequence number. */
  lastSeq(): number {
    return this.seq;
  }

  close(): void {
    this.segments.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const start = Math.max(this.seq + 1, this.segments.nextSeq());
    try {
      this.segments.append(batch.map((p, i) => ({ seq: start + i, payload: enc.encode(JSON.stringify(p.rec)) })));
    } catch (err) {
      this.o.log.error('journal write failed; mutations rejected', { error: err instanceof Error ? err.message : String(err) });
      for (const p of batch) p.reject(err);
      return;
    }
    for (const p of batch) {
      this.seq++;
      try {
        p.resolve(this.state.apply(p.rec));
      } catch (err) {
        p.reject(err);
      }
    }
    this.maybeCheckpoint();
  }

  /** Replay applies exactly what the live path applied; an entry that threw then throws now. */
  private applyQuietly(rec: JournalRecord<E>): void {
    try {
      this.state.apply(rec);
    } catch {
      // The live apply rejected the same entry with the same error; the state is unchanged.
    }
  }

  private maybeCheckpoint(): void {
    const entries = this.seq - this.lastCheckpointSeq;
    const bytes = this.segments.bytes() - this.bytesAtCheckpoint;
    if (entries < this.o.props.checkpointEntries && bytes < this.o.props.checkpointBytes) return;
    this.checkpoint();
  }

  /** Writes a checkpoint at the current sequence and drops the log it covers. */
  checkpoint(): void {
    try {
      this.checkpoints.write(this.seq, enc.encode(JSON.stringify(this.state.snapshot())));
    } catch (err) {
      // The log still holds everything: retry at the next trigger.
      this.o.log.error('journal checkpoint failed; will retry', { error: err instanceof Error ? err.message : String(err) });
      this.lastCheckpointSeq = this.seq - Math.floor(this.o.props.checkpointEntries / 2);
      return;
    }
    this.lastCheckpointSeq = this.seq;
    this.segments.rotate();
    this.segments.dropBefore(this.seq + 1);
    this.bytesAtCheckpoint = this.segments.bytes();
  }
}

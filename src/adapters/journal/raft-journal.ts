// The embedded Raft journal of a 3- or 5-master group: the driver around the pure RawNode.
// Loop: a timer ticks the node every `raftTickMs`; received messages are stepped; after each input
// the Ready is handled synchronously: persist (RaftFileStorage, fsync) -> send (RaftTransport) ->
// apply committed records to the JournaledState (master state + dedup table) -> advance.
// Proposals resolve when their entry applies at the index/term they were given; leadership loss
// rejects them with NotLeaderError (the client retries with the same request id, which the
// replicated dedup table makes exactly-once). Reads go through readBarrier(): one ReadIndex
// round confirms leadership for every read that arrived before it was sent.
import type { MasterConfig } from '../../api/engine-config.js';
import type { Logger } from '../apiserver/logger.js';
import type { RpcServer } from '../rpc/rpc-server.js';
import { JournaledState, type JournalRecord, type JournaledSnapshot } from '../../core/journal/journaled-state.js';
import type { ReplicatedStateMachine } from '../../core/master/journal-port.js';
import { InvalidRequestError } from '../../core/master/master-errors.js';
import { NotLeaderError } from '../../core/raft/raft-errors.js';
import { seededPrng } from '../../core/raft/prng.js';
import { RawNode } from '../../core/raft/raw-node.js';
import type { Entry, Ready } from '../../core/raft/types.js';
import { ensureJournalDir, formatJournal } from './journal-dir.js';
import type { JournalProperties } from './journal-properties.js';
import { RaftFileStorage } from './raft-file-storage.js';
import { readBody } from '../rpc/rpc-server.js';
import { fromWire, RaftTransport, SNAPSHOT_HEADER, SNAPSHOT_PATH, snapshotFromWire } from './raft-transport.js';

export interface RaftJournalOptions {
  readonly config: MasterConfig;
  readonly server: RpcServer;
  readonly props: JournalProperties;
  readonly log: Logger;
}

interface Waiter<R> { readonly term: number; readonly resolve: (r: R) => void; readonly reject: (e: unknown) => void }
interface ReadRound { readonly ctx: string; readonly waiters: { resolve: () => void; reject: (e: unknown) => void }[]; open: boolean; index: number; readonly startedTick: number }

const enc = new TextEncoder();
const dec = new TextDecoder();

export class RaftJournal<E, R, S> {
  private readonly raft: RawNode;
  private readonly storage: RaftFileStorage;
  private readonly state: JournaledState<E, R, S>;
  private readonly transport: RaftTransport;
  private readonly members: { id: string; address: string }[];
  private readonly selfNum: number;
  private readonly pending = new Map<number, Waiter<R>>();
  private readonly rounds = new Map<string, ReadRound>();
  private openRound: ReadRound | undefined;
  private nextCtx = 0;
  private ticks = 0;
  private applied = 0;
  private leaderReadyTerm = -1;
  private wasLeader = false;
  private timer: NodeJS.Timeout | undefined;
  private processing = false;
  private soon = false;
  private persistFailedUntilTick = 0;

  static start<E, R, S>(sm: ReplicatedStateMachine<E, R, S>, o: RaftJournalOptions): RaftJournal<E, R, S> {
    return new RaftJournal(sm, o);
  }

  private constructor(sm: ReplicatedStateMachine<E, R, S>, private readonly o: RaftJournalOptions) {
    const { config, props } = o;
    if (props.formatOnStart) formatJournal(config.journalDir);
    const layout = ensureJournalDir(config.journalDir);
    // Every master numbers the members the same way: sorted by id, 1-based.
    this.members = [...config.peers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((p) => ({ id: p.id, address: p.address }));
    this.selfNum = this.members.findIndex((m) => m.id === config.id) + 1;
    this.storage = new RaftFileStorage(layout, props.segmentBytes);
    const dropped = this.storage.open();
    if (dropped) o.log.warn('raft log: dropped a torn or corrupt tail', { detail: dropped });
    this.state = new JournaledState(sm);
    const snap = this.storage.snapshot();
    if (snap.index > 0) this.state.restore(JSON.parse(dec.decode(snap.data)) as JournaledSnapshot<S, R>);
    this.applied = snap.index;
    let seed = 0;
    for (const ch of `${config.id}:${process.pid}:${Date.now()}`) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
    this.raft = new RawNode({
      id: this.selfNum, peers: this.members.map((_, i) => i + 1), electionTick: props.raftElectionTicks, heartbeatTick: 1,
      logStorage: this.storage, stateStorage: this.storage, prng: seededPrng(seed), applied: snap.index, maxEntriesPerMsg: 512,
    });
    this.transport = new RaftTransport((n) => this.members[n - 1]?.address, Math.max(1000, props.raftTickMs * props.raftElectionTicks), o.server.credential);
    o.server.method('raft', (body) => {
      const msgs = (body as { messages?: unknown } | null)?.messages;
      if (!Array.isArray(msgs)) throw new InvalidRequestError('messages: expected an array of Raft messages');
      const parsed = msgs.map((m, i) => fromWire(m, i));
      for (const m of parsed) this.raft.step(m);
      this.process();
      return Promise.resolve({});
    });
    o.server.route('POST', SNAPSHOT_PATH, async (req, res) => {
      const h = req.headers[SNAPSHOT_HEADER];
      const body = await readBody(req, 4 * 1024 * 1024 * 1024);
      this.raft.step(snapshotFromWire(Array.isArray(h) ? h[0] : h, new Uint8Array(body.buffer, body.byteOffset, body.byteLength)));
      this.process();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    this.timer = setInterval(() => this.onTick(), props.raftTickMs);
    this.timer.unref();
    o.log.info('raft journal started', {
      self: config.id, members: this.members.map((m) => m.id), snapshotIndex: snap.index, lastIndex: this.storage.lastIndex(),
      term: this.storage.hardState().term, tickMs: props.raftTickMs, electionTicks: props.raftElectionTicks,
    });
    this.process();
  }

  // ---- Journal port ----------------------------------------------------------------------

  propose(entry: E, requestId?: string): Promise<R> {
    if (!this.isLeader()) return Promise.reject(new NotLeaderError({ address: this.leaderAddress() }));
    const rec: JournalRecord<E> = requestId !== undefined ? { entry, requestId } : { entry };
    let at: { index: number; term: number };
    try {
      at = this.raft.propose(JSON.stringify(rec));
    } catch {
      return Promise.reject(new NotLeaderError({ address: this.leaderAddress() }));
    }
    const p = new Promise<R>((resolve, reject) => this.pending.set(at.index, { term: at.term, resolve, reject }));
    this.processSoon();
    return p;
  }

  readBarrier(): Promise<void> {
    if (!this.isLeader()) return Promise.reject(new NotLeaderError({ address: this.leaderAddress() }));
    return new Promise<void>((resolve, reject) => {
      let round = this.openRound;
      if (!round) {
        const ctx = `r${this.nextCtx++}`;
        round = { ctx, waiters: [], open: true, index: -1, startedTick: this.ticks };
        this.openRound = round;
        this.rounds.set(ctx, round);
        try {
          this.raft.readIndex(ctx);
        } catch {
          this.rounds.delete(ctx);
          this.openRound = undefined;
          reject(new NotLeaderError({ address: this.leaderAddress() }));
          return;
        }
        this.processSoon();
      }
      round.waiters.push({ resolve, reject });
    });
  }

  leaderId(): string | null {
    const lead = this.raft.status().lead;
    return lead === 0 ? null : (this.members[lead - 1]?.id ?? null);
  }

  /** Leader AND has applied an entry of its own term (so its state includes every commit). */
  isLeader(): boolean {
    const s = this.raft.status();
    return s.state === 'leader' && this.leaderReadyTerm === s.term;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.failAll(new NotLeaderError());
    this.storage.close();
  }

  // ---- driver ----------------------------------------------------------------------------

  private leaderAddress(): string | undefined {
    const lead = this.raft.status().lead;
    return lead === 0 || lead === this.selfNum ? undefined : this.members[lead - 1]?.address;
  }

  private onTick(): void {
    this.ticks++;
    this.raft.tick();
    // A ReadIndex round that a quorum has not confirmed within two election timeouts fails.
    for (const r of this.rounds.values()) {
      if (this.ticks - r.startedTick > 2 * this.o.props.raftElectionTicks) this.failRound(r, new NotLeaderError({ address: this.leaderAddress() }));
    }
    this.process();
  }

  /** Group commit: proposals and reads made in the same turn share one Ready (one fsync). */
  private processSoon(): void {
    if (this.soon) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.process();
    });
  }

  private process(): void {
    if (this.processing || this.timer === undefined) return;
    if (this.ticks < this.persistFailedUntilTick) return;
    this.processing = true;
    try {
      while (this.raft.hasReady()) {
        const rd = this.raft.ready();
        try {
          this.storage.persist(rd);
        } catch (err) {
          // Cannot make state durable: send nothing, apply nothing, retry in a second.
          this.o.log.error('raft persistence failed; retrying', { error: err instanceof Error ? err.message : String(err) });
          this.persistFailedUntilTick = this.ticks + Math.ceil(1000 / this.o.props.raftTickMs);
          for (const w of this.pending.values()) w.reject(err);
          this.pending.clear();
          return;
        }
        this.transport.send(rd.messages);
        this.openRound = undefined;
        this.apply(rd);
        this.raft.advance(rd);
      }
    } finally {
      this.processing = false;
    }
    this.afterReady();
  }

  private apply(rd: Ready): void {
    if (rd.snapshot) {
      this.state.restore(JSON.parse(dec.decode(rd.snapshot.data)) as JournaledSnapshot<S, R>);
      this.applied = rd.snapshot.index;
      for (const [i, w] of this.pending) if (i <= this.applied) { w.reject(new NotLeaderError({ address: this.leaderAddress() })); this.pending.delete(i); }
      this.o.log.info('raft snapshot installed', { index: rd.snapshot.index, term: rd.snapshot.term });
    }
    for (const e of rd.committedEntries) this.applyEntry(e);
    for (const rs of rd.readStates) {
      const r = this.rounds.get(rs.context);
      if (r) r.index = rs.index;
    }
    if (rd.softState) {
      const leader = rd.softState.state === 'leader';
      if (this.wasLeader && !leader) this.failAll(new NotLeaderError({ address: this.leaderAddress() }));
      this.wasLeader = leader;
      this.o.log.info('raft role', { state: rd.softState.state, leader: this.leaderId(), term: this.raft.status().term });
    }
  }

  private applyEntry(e: Entry): void {
    this.applied = e.index;
    const w = this.pending.get(e.index);
    this.pending.delete(e.index);
    const status = this.raft.status();
    if (status.state === 'leader' && e.term === status.term) this.leaderReadyTerm = status.term;
    if (e.data === '') {
      if (w) w.reject(new NotLeaderError({ address: this.leaderAddress() }));
      return;
    }
    let result: R | undefined;
    let error: unknown;
    try {
      result = this.state.apply(JSON.parse(e.data) as JournalRecord<E>);
    } catch (err) {
      error = err;
    }
    if (!w) return;
    if (w.term !== e.term) w.reject(new NotLeaderError({ address: this.leaderAddress() }));
    else if (error !== undefined) w.reject(error);
    else w.resolve(result as R);
  }

  private afterReady(): void {
    for (const r of [...this.rounds.values()]) {
      if (r.index >= 0 && this.applied >= r.index) {
        this.rounds.delete(r.ctx);
        for (const w of r.waiters) w.resolve();
      }
    }
    const snap = this.storage.snapshot();
    if (this.applied - snap.index >= this.o.props.checkpointEntries) {
      try {
        this.storage.compact(this.applied, enc.encode(JSON.stringify(this.state.snapshot())));
      } catch (err) {
        this.o.log.error('raft snapshot failed; will retry', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private failRound(r: ReadRound, err: unknown): void {
    this.rounds.delete(r.ctx);
    if (this.openRound === r) this.openRound = undefined;
    for (const w of r.waiters) w.reject(err);
  }

  private failAll(err: unknown): void {
    for (const w of this.pending.values()) w.reject(err);
    this.pending.clear();
    for (const r of [...this.rounds.values()]) this.failRound(r, err);
  }
}

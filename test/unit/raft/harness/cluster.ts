// A deterministic in-memory cluster of RawNodes used by the data-driven scripts and the
// randomized simulation. The driver loop here follows the Ready contract exactly: persist,
// then send, then apply, then advance; a crash loses only what was never handed to storage.
import { RawNode } from '../../../../src/core/raft/raw-node.js';
import { MemoryStorage } from '../../../../src/core/raft/memory-storage.js';
import { seededPrng } from '../../../../src/core/raft/prng.js';
import type { Entry, Message, ReadState } from '../../../../src/core/raft/types.js';

export interface ClusterOptions {
  readonly size: number;
  readonly seed: number;
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  readonly maxEntriesPerMsg?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
}

/** The replicated state machine of the tests: the sequence of applied entry data by index. */
export interface AppState { applied: string[]; lastIndex: number }

export interface SimNode {
  readonly id: number;
  raft: RawNode;
  readonly storage: MemoryStorage;
  state: AppState;
  crashed: boolean;
  readStates: ReadState[];
}

export type Observer = (event: string) => void;

/** Checks run by the simulation on every apply and snapshot restore. */
export interface ApplyHooks {
  apply?(id: number, e: Entry): void;
  restore?(id: number, state: AppState, index: number, term: number): void;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeState(s: AppState): Uint8Array { return enc.encode(JSON.stringify(s)); }
export function decodeState(b: Uint8Array): AppState {
  if (b.length === 0) return { applied: [], lastIndex: 0 };
  return JSON.parse(dec.decode(b)) as AppState;
}

export function fmtEntry(e: Entry): string { return `${e.index}/${e.term}:${e.data === '' ? 'noop' : e.data}`; }

export function fmtMsg(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} term=${m.term}`;
  switch (m.type) {
    case 'PreVote':
    case 'Vote':
      return `${head} last=${m.index}/${m.logTerm}`;
    case 'PreVoteResp':
    case 'VoteResp':
      return `${head} ${m.reject ? 'rejected' : 'granted'}`;
    case 'App':
      return `${head} prev=${m.index}/${m.logTerm} commit=${m.commit} ents=[${m.entries.map(fmtEntry).join(' ')}]`;
    case 'AppResp':
      return m.reject ? `${head} reject idx=${m.index} hint=${m.rejectHint}/${m.logTerm}` : `${head} idx=${m.index}`;
    case 'Heartbeat':
      return `${head} commit=${m.commit}${m.context ? ` ctx=${m.context}` : ''}`;
    case 'HeartbeatResp':
      return `${head}${m.context ? ` ctx=${m.context}` : ''}`;
    case 'Snap':
      return `${head} snap=${m.snapshot?.index ?? 0}/${m.snapshot?.term ?? 0}`;
  }
}

export class Cluster {
  readonly nodes = new Map<number, SimNode>();
  /** Messages sent and not yet delivered, in send order. */
  queue: Message[] = [];
  private groups: number[][] | undefined;
  private readonly ids: number[];
  private readonly opts: ClusterOptions;
  private restarts = 0;

  constructor(opts: ClusterOptions, private readonly observe: Observer = () => undefined, private readonly hooks: ApplyHooks = {}) {
    this.opts = opts;
    this.ids = Array.from({ length: opts.size }, (_, i) => i + 1);
    for (const id of this.ids) {
      const storage = new MemoryStorage();
      const node: SimNode = { id, raft: this.newRaft(id, storage, opts.seed * 31 + id), storage, state: { applied: [], lastIndex: 0 }, crashed: false, readStates: [] };
      this.nodes.set(id, node);
    }
  }

  private newRaft(id: number, storage: MemoryStorage, seed: number): RawNode {
    return new RawNode({
      id, peers: this.ids, electionTick: this.opts.electionTick ?? 10, heartbeatTick: this.opts.heartbeatTick ?? 1,
      logStorage: storage, stateStorage: storage, prng: seededPrng(seed),
      ...(this.opts.maxEntriesPerMsg !== undefined ? { maxEntriesPerMsg: this.opts.maxEntriesPerMsg } : {}),
      ...(this.opts.preVote !== undefined ? { preVote: this.opts.preVote } : {}),
      ...(this.opts.checkQuorum !== undefined ? { checkQuorum: this.opts.checkQuorum } : {}),
    });
  }

  node(id: number): SimNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /** Handles one Ready of node `id` if it has one; returns whether it did. */
  process(id: number): boolean {
    const n = this.node(id);
    if (n.crashed || !n.raft.hasReady()) return false;
    const rd = n.raft.ready();
    if (rd.softState) this.observe(`${id} is ${rd.softState.state} term=${n.raft.status().term} lead=${rd.softState.lead}`);
    // 1. persist
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    // 2. send
    for (const m of rd.messages) this.send(m);
    // 3. apply
    if (rd.snapshot) {
      n.state = decodeState(rd.snapshot.data);
      this.hooks.restore?.(id, n.state, rd.snapshot.index, rd.snapshot.term);
      this.observe(`${id} restored snapshot ${rd.snapshot.index}/${rd.snapshot.term}`);
    }
    for (const e of rd.committedEntries) {
      if (e.index !== n.state.lastIndex + 1) throw new Error(`node ${id} applies ${e.index} after ${n.state.lastIndex}`);
      this.hooks.apply?.(id, e);
      n.state.applied.push(e.data);
      n.state.lastIndex = e.index;
      this.observe(`${id} apply ${fmtEntry(e)}`);
    }
    for (const r of rd.readStates) {
      n.readStates.push(r);
      this.observe(`${id} read ${r.context} at ${r.index}`);
    }
    n.raft.advance(rd);
    return true;
  }

  private send(m: Message): void {
    if (!this.connected(m.from, m.to)) {
      this.observe(`${fmtMsg(m)} (dropped by partition)`);
      return;
    }
    this.observe(fmtMsg(m));
    this.queue.push(m);
  }

  connected(a: number, b: number): boolean {
    if (!this.groups) return true;
    return this.groups.some((g) => g.includes(a) && g.includes(b));
  }

  partition(groups: number[][]): void { this.groups = groups; }
  heal(): void { this.groups = undefined; }

  /** Delivers one queued message (by queue position). */
  deliverAt(i: number): void {
    const [m] = this.queue.splice(i, 1);
    if (!m) return;
    const n = this.node(m.to);
    if (n.crashed) return;
    n.raft.step(m);
  }

  /** Delivers every queued message matching the filter, in order. */
  deliver(filter: (m: Message) => boolean = () => true): number {
    const now = this.queue;
    this.queue = [];
    let count = 0;
    for (const m of now) {
      if (filter(m)) {
        const n = this.node(m.to);
        if (!n.crashed && this.connected(m.from, m.to)) n.raft.step(m);
        count++;
      } else {
        this.queue.push(m);
      }
    }
    return count;
  }

  drop(filter: (m: Message) => boolean): number {
    const before = this.queue.length;
    this.queue = this.queue.filter((m) => !filter(m));
    return before - this.queue.length;
  }

  /** Processes readies and delivers messages until nothing moves. */
  stabilize(maxRounds = 10_000): void {
    for (let round = 0; round < maxRounds; round++) {
      let moved = false;
      for (const id of this.ids) if (this.process(id)) moved = true;
      if (this.deliver() > 0) moved = true;
      if (!moved) return;
    }
    throw new Error('cluster did not stabilize');
  }

  /** Takes a local snapshot at the node's applied index and compacts its storage there. */
  compact(id: number): number {
    const n = this.node(id);
    const index = n.state.lastIndex;
    n.storage.compact(index, encodeState(n.state));
    return index;
  }

  crash(id: number): void {
    const n = this.node(id);
    // Messages in flight to it stay queued: a restarted node may still receive them (delayed
    // network), while those delivered during the crash are lost.
    n.crashed = true;
  }

  /** Restarts from storage: the state machine is rebuilt from the stored snapshot. */
  restart(id: number): void {
    const n = this.node(id);
    n.crashed = false;
    n.state = decodeState(n.storage.snapshot().data);
    n.readStates = [];
    const snap = n.storage.snapshot();
    if (snap.index > 0) this.hooks.restore?.(id, n.state, snap.index, snap.term);
    this.restarts++;
    n.raft = this.newRaft(id, n.storage, this.opts.seed * 31 + id + 1000 * this.restarts);
  }
}

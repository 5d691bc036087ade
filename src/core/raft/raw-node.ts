// A Raft peer as a pure state machine (the shape of etcd-io/raft's RawNode): inputs are tick(),
// step(msg), campaign(), propose(data) and readIndex(ctx); every effect comes out of ready() and
// is acknowledged by advance(). No I/O, no clock, randomness only from the seeded Prng.
// Features: pre-vote, check-quorum (a leader that does not hear from a quorum for an election
// timeout steps down; followers that recently heard from a leader ignore vote requests), log
// replication with conflict resolution, commit by quorum in the current term, snapshot install,
// and ReadIndex linearizable reads. Membership is fixed.
import { assert } from '../errors.js';
import { RaftLog } from './internal/raft-log.js';
import { Progress } from './internal/progress.js';
import type { Prng } from './prng.js';
import { NotLeaderError } from './raft-errors.js';
import type { LogStorage, StateStorage } from './storage.js';
import type { Entry, HardState, Message, MessageType, ReadState, Ready, Snapshot, SoftState, StateType } from './types.js';

export interface RaftOptions {
  /** This node's id (>= 1), a member of `peers`. */
  readonly id: number;
  /** All member ids, self included (fixed membership). */
  readonly peers: readonly number[];
  /** Follower/candidate ticks without a leader before campaigning: randomized in [e, 2e). */
  readonly electionTick: number;
  /** Leader ticks between heartbeats; must be < electionTick. */
  readonly heartbeatTick: number;
  readonly logStorage: LogStorage;
  readonly stateStorage: StateStorage;
  readonly prng: Prng;
  /** Index already applied to the state machine the driver restored (default: snapshot index). */
  readonly applied?: number;
  /** Max entries per App message and per Ready.committedEntries (default 256). */
  readonly maxEntriesPerMsg?: number;
  /** Default true. */
  readonly preVote?: boolean;
  /** Default true. */
  readonly checkQuorum?: boolean;
}

export interface RaftStatus {
  readonly id: number;
  readonly term: number;
  readonly vote: number;
  readonly lead: number;
  readonly state: StateType;
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  readonly firstIndex: number;
}

interface PendingRead { readonly context: string; readonly index: number; readonly acks: Set<number> }

type MsgInit = Partial<Message> & { type: MessageType; to: number };

export class RawNode {
  readonly id: number;
  private readonly peers: readonly number[];
  private readonly log: RaftLog;
  private readonly prng: Prng;
  private readonly electionTick: number;
  private readonly heartbeatTick: number;
  private readonly maxEntries: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;

  private term = 0;
  private vote = 0;
  private lead = 0;
  private state: StateType = 'follower';
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private votes = new Map<number, boolean>();
  private prs = new Map<number, Progress>();
  private msgs: Message[] = [];
  private readStates: ReadState[] = [];
  private pendingReads: PendingRead[] = [];
  /** ReadIndex requests received before this leader committed an entry of its term. */
  private readsAwaitingCommit: string[] = [];
  private prevSoft: SoftState;
  private prevHard: HardState;

  constructor(o: RaftOptions) {
    assert(o.id >= 1 && o.peers.includes(o.id), `id ${o.id} must be one of peers [${o.peers.join(',')}]`);
    assert(o.heartbeatTick >= 1 && o.heartbeatTick < o.electionTick, 'need 1 <= heartbeatTick < electionTick');
    this.id = o.id;
    this.peers = [...o.peers].sort((a, b) => a - b);
    this.log = new RaftLog(o.logStorage);
    this.prng = o.prng;
    this.electionTick = o.electionTick;
    this.heartbeatTick = o.heartbeatTick;
    this.maxEntries = o.maxEntriesPerMsg ?? 256;
    this.preVote = o.preVote ?? true;
    this.checkQuorum = o.checkQuorum ?? true;
    const hs = o.stateStorage.hardState();
    this.term = hs.term;
    this.vote = hs.vote;
    this.log.commitTo(Math.min(hs.commit, this.log.lastIndex()));
    if (o.applied !== undefined) this.log.appliedTo(o.applied);
    this.becomeFollower(this.term, 0);
    this.prevSoft = this.softState();
    this.prevHard = this.hardState();
  }

  // ---- inputs ----------------------------------------------------------------------------

  /** Advances the logical clock by one tick. */
  tick(): void {
    this.electionElapsed++;
    if (this.state === 'leader') {
      if (this.electionElapsed >= this.electionTick) {
        this.electionElapsed = 0;
        if (this.checkQuorum && !this.quorumActive()) {
          this.becomeFollower(this.term, 0);
          return;
        }
      }
      for (const [id, pr] of this.prs) {
        if (id !== this.id && pr.state === 'snapshot' && ++pr.snapshotTicks >= this.electionTick) {
          pr.becomeProbe();
        }
      }
      if (++this.heartbeatElapsed >= this.heartbeatTick) {
        this.heartbeatElapsed = 0;
        this.bcastHeartbeat('');
      }
      return;
    }
    if (this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign();
    }
  }

  /** Starts an election now (pre-vote first when enabled). No-op for a leader. */
  campaign(): void {
    if (this.state === 'leader') return;
    this.startCampaign(this.preVote ? 'PreVote' : 'Vote');
  }

  /** Appends `data` as a new entry (leader only). Returns where it will sit if it commits. */
  propose(data: string): { index: number; term: number } {
    if (this.state !== 'leader') throw new NotLeaderError({ id: this.lead });
    const e: Entry = { term: this.term, index: this.log.lastIndex() + 1, data };
    this.appendEntries([e]);
    this.bcastAppend();
    return { index: e.index, term: e.term };
  }

  /**
   * Requests a linearizable read point (leader only). A ReadState with `context` comes out of a
   * later Ready once a quorum confirmed this node still leads; serve the read after applying up
   * to its index. Contexts must be unique among outstanding requests.
   */
  readIndex(context: string): void {
    if (this.state !== 'leader') throw new NotLeaderError({ id: this.lead });
    if (this.log.term(this.log.committed) !== this.term) {
      this.readsAwaitingCommit.push(context);
      return;
    }
    this.startRead(context);
  }

  /** Processes a message from a peer. Messages from non-members are ignored. */
  step(m: Message): void {
    if (!this.peers.includes(m.from) || m.to !== this.id) return;
    if (m.term > this.term) {
      if (m.type === 'PreVote' || m.type === 'Vote') {
        // Leader lease: we heard from a live leader within the election timeout.
        if (this.checkQuorum && this.lead !== 0 && this.electionElapsed < this.electionTick) return;
      }
      if (m.type === 'PreVote' || (m.type === 'PreVoteResp' && !m.reject)) {
        // Pre-vote never changes terms; a granted PreVoteResp carries the proposed term.
      } else if (m.type === 'App' || m.type === 'Heartbeat' || m.type === 'Snap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, 0);
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'Heartbeat' || m.type === 'App')) {
        // Tell a stale leader about the newer term so it steps down.
        this.send({ type: 'AppResp', to: m.from });
      } else if (m.type === 'PreVote') {
        this.send({ type: 'PreVoteResp', to: m.from, reject: true });
      }
      return;
    }

    switch (m.type) {
      case 'PreVote':
      case 'Vote': {
        const canVote = this.vote === m.from || (this.vote === 0 && this.lead === 0) || (m.type === 'PreVote' && m.term > this.term);
        const respType = m.type === 'PreVote' ? 'PreVoteResp' : 'VoteResp';
        if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
          this.send({ type: respType, to: m.from, term: m.term });
          if (m.type === 'Vote') {
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.send({ type: respType, to: m.from, reject: true });
        }
        return;
      }
      default:
        break;
    }
    if (this.state === 'leader') this.stepLeader(m);
    else if (this.state === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  // ---- outputs ---------------------------------------------------------------------------

  hasReady(): boolean {
    const u = this.log.unstable();
    return this.msgs.length > 0 || u.entries.length > 0 || u.snapshot !== undefined ||
      this.readStates.length > 0 || this.log.hasNextCommitted() ||
      !sameHard(this.hardState(), this.prevHard) || !sameSoft(this.softState(), this.prevSoft);
  }

  ready(): Ready {
    const u = this.log.unstable();
    const soft = this.softState();
    const hard = this.hardState();
    const rd: Ready = {
      ...(sameSoft(soft, this.prevSoft) ? {} : { softState: soft }),
      ...(sameHard(hard, this.prevHard) ? {} : { hardState: hard }),
      entries: [...u.entries],
      ...(u.snapshot ? { snapshot: u.snapshot } : {}),
      committedEntries: this.log.nextCommitted(this.maxEntries),
      messages: this.msgs,
      readStates: this.readStates,
    };
    return rd;
  }

  /** Acknowledges that `rd` (the last ready()) was fully handled. */
  advance(rd: Ready): void {
    if (rd.softState) this.prevSoft = rd.softState;
    if (rd.hardState) this.prevHard = rd.hardState;
    if (rd.snapshot) {
      this.log.stableSnapTo(rd.snapshot.index);
      this.log.appliedTo(rd.snapshot.index);
    }
    const lastEnt = rd.entries[rd.entries.length - 1];
    if (lastEnt) this.log.stableTo(lastEnt.index, lastEnt.term);
    const lastApplied = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastApplied) this.log.appliedTo(lastApplied.index);
    if (rd.messages === this.msgs) this.msgs = [];
    else this.msgs = this.msgs.slice(rd.messages.length);
    if (rd.readStates === this.readStates) this.readStates = [];
    else this.readStates = this.readStates.slice(rd.readStates.length);
  }

  status(): RaftStatus {
    return {
      id: this.id, term: this.term, vote: this.vote, lead: this.lead, state: this.state,
      commit: this.log.committed, applied: this.log.applied, lastIndex: this.log.lastIndex(),
      firstIndex: this.log.firstIndex(),
    };
  }

  /** Log entries in [lo, hi) still held (for tests and debugging). */
  entries(lo: number, hi: number): Entry[] {
    return this.log.slice(Math.max(lo, this.log.firstIndex()), hi, Number.MAX_SAFE_INTEGER) ?? [];
  }

  /** Progress of each follower as seen by this leader (empty when not leader). */
  progress(): Map<number, { match: number; next: number; state: string }> {
    const out = new Map<number, { match: number; next: number; state: string }>();
    if (this.state !== 'leader') return out;
    for (const [id, pr] of this.prs) out.set(id, { match: pr.match, next: pr.next, state: pr.state });
    return out;
  }

  // ---- state transitions -----------------------------------------------------------------

  private softState(): SoftState { return { lead: this.lead, state: this.state }; }
  private hardState(): HardState { return { term: this.term, vote: this.vote, commit: this.log.committed }; }
  private quorum(): number { return Math.floor(this.peers.length / 2) + 1; }

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = 0;
    }
    this.lead = 0;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTick + this.prng.int(this.electionTick);
    this.votes = new Map();
    this.prs = new Map();
    for (const p of this.peers) {
      const pr = new Progress(this.log.lastIndex() + 1);
      if (p === this.id) pr.match = this.log.lastIndex();
      this.prs.set(p, pr);
    }
    this.pendingReads = [];
    this.readsAwaitingCommit = [];
  }

  private becomeFollower(term: number, lead: number): void {
    this.reset(term);
    this.lead = lead;
    this.state = 'follower';
  }

  private startCampaign(kind: 'PreVote' | 'Vote'): void {
    let campaignTerm: number;
    if (kind === 'PreVote') {
      this.reset(this.term);
      this.state = 'pre-candidate';
      campaignTerm = this.term + 1;
    } else {
      this.reset(this.term + 1);
      this.state = 'candidate';
      this.vote = this.id;
      campaignTerm = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      if (kind === 'PreVote') this.startCampaign('Vote');
      else this.becomeLeader();
      return;
    }
    for (const p of this.peers) {
      if (p === this.id) continue;
      this.send({ type: kind, to: p, term: campaignTerm, index: this.log.lastIndex(), logTerm: this.log.lastTerm() });
    }
  }

  private poll(from: number, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    let yes = 0;
    let no = 0;
    for (const v of this.votes.values()) { if (v) yes++; else no++; }
    if (yes >= this.quorum()) return 'won';
    if (no > this.peers.length - this.quorum()) return 'lost';
    return 'pending';
  }

  private becomeLeader(): void {
    assert(this.state === 'candidate', `only a candidate can become leader (was ${this.state})`);
    this.reset(this.term);
    this.vote = this.id;
    this.lead = this.id;
    this.state = 'leader';
    for (const pr of this.prs.values()) pr.recentActive = true;
    // The no-op entry lets the leader commit (and thus learn the commit index of) its term.
    this.appendEntries([{ term: this.term, index: this.log.lastIndex() + 1, data: '' }]);
    this.bcastAppend();
  }

  private appendEntries(ents: Entry[]): void {
    this.log.append(ents);
    const self = this.prs.get(this.id);
    assert(self !== undefined, 'self progress');
    self.maybeUpdate(this.log.lastIndex());
    this.maybeCommit();
  }

  /** Advances commit to the highest index replicated on a quorum, if it is of this term. */
  private maybeCommit(): boolean {
    const matches = [...this.prs.values()].map((p) => p.match).sort((a, b) => b - a);
    const mci = matches[this.quorum() - 1] ?? 0;
    if (mci > this.log.committed && this.log.term(mci) === this.term) {
      this.log.commitTo(mci);
      if (this.readsAwaitingCommit.length > 0) {
        const waiting = this.readsAwaitingCommit;
        this.readsAwaitingCommit = [];
        for (const ctx of waiting) this.startRead(ctx);
      }
      return true;
    }
    return false;
  }

  private quorumActive(): boolean {
    let active = 0;
    for (const [id, pr] of this.prs) {
      if (id === this.id || pr.recentActive) active++;
      if (id !== this.id) pr.recentActive = false;
    }
    return active >= this.quorum();
  }

  // ---- per-role message handling -------------------------------------------------------

  private stepLeader(m: Message): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    switch (m.type) {
      case 'AppResp': {
        pr.recentActive = true;
        if (m.reject) {
          let probe = m.rejectHint;
          if (m.logTerm > 0) probe = this.log.findConflictByTerm(m.rejectHint, m.logTerm);
          if (pr.maybeDecrTo(m.index, probe)) {
            if (pr.state === 'replicate') pr.becomeProbe();
            this.sendAppend(m.from);
          }
          return;
        }
        const oldPaused = pr.isPaused();
        if (pr.maybeUpdate(m.index)) {
          if (pr.state === 'probe') pr.becomeReplicate();
          else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) { pr.becomeProbe(); pr.becomeReplicate(); }
          if (this.maybeCommit()) this.bcastAppend();
          else if (oldPaused || pr.next <= this.log.lastIndex()) this.sendAppend(m.from);
        }
        return;
      }
      case 'HeartbeatResp': {
        pr.recentActive = true;
        pr.probeSent = false;
        if (pr.match < this.log.lastIndex()) this.sendAppend(m.from);
        if (m.context !== '') this.ackRead(m.context, m.from);
        return;
      }
      default:
        return;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'App':
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case 'Heartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'Snap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case 'PreVoteResp':
      case 'VoteResp': {
        const mine = this.state === 'pre-candidate' ? 'PreVoteResp' : 'VoteResp';
        if (m.type !== mine) return;
        const r = this.poll(m.from, !m.reject);
        if (r === 'won') {
          if (this.state === 'pre-candidate') this.startCampaign('Vote');
          else { this.becomeLeader(); }
        } else if (r === 'lost') {
          this.becomeFollower(this.term, 0);
        }
        return;
      }
      default:
        return;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'App':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case 'Heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case 'Snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      default:
        return;
    }
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.send({ type: 'AppResp', to: m.from, index: this.log.committed });
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      this.send({ type: 'AppResp', to: m.from, index: lastNew });
      return;
    }
    const hint = Math.min(m.index, this.log.lastIndex());
    const hintTerm = this.log.term(hint) ?? 0;
    this.send({ type: 'AppResp', to: m.from, index: m.index, reject: true, rejectHint: hint, logTerm: hintTerm });
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.send({ type: 'HeartbeatResp', to: m.from, context: m.context });
  }

  private handleSnapshot(m: Message): void {
    const s = m.snapshot;
    if (s === undefined) return;
    if (this.restore(s)) {
      this.send({ type: 'AppResp', to: m.from, index: this.log.lastIndex() });
    } else {
      this.send({ type: 'AppResp', to: m.from, index: this.log.committed });
    }
  }

  private restore(s: Snapshot): boolean {
    if (s.index <= this.log.committed) return false;
    if (this.log.matchTerm(s.index, s.term)) {
      // We already hold the snapshot's last entry: just fast-forward commit.
      this.log.commitTo(s.index);
      return false;
    }
    this.log.restore(s);
    return true;
  }

  // ---- sending ---------------------------------------------------------------------------

  private send(init: MsgInit): void {
    this.msgs.push({
      from: this.id, term: this.term, logTerm: 0, index: 0, entries: [], commit: 0, reject: false,
      rejectHint: 0, context: '', ...init,
    });
  }

  private bcastAppend(): void {
    for (const p of this.peers) if (p !== this.id) this.sendAppend(p);
  }

  private bcastHeartbeat(context: string): void {
    for (const p of this.peers) {
      if (p === this.id) continue;
      const pr = this.prs.get(p);
      const commit = Math.min(pr?.match ?? 0, this.log.committed);
      this.send({ type: 'Heartbeat', to: p, commit, context });
    }
  }

  private sendAppend(to: number): void {
    const pr = this.prs.get(to);
    if (!pr || pr.isPaused()) return;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const ents = this.log.slice(pr.next, this.log.lastIndex() + 1, this.maxEntries);
    if (prevTerm === undefined || ents === undefined) {
      const snap = this.log.snapshot();
      pr.becomeSnapshot(snap.index);
      this.send({ type: 'Snap', to, snapshot: snap });
      return;
    }
    this.send({ type: 'App', to, index: prevIndex, logTerm: prevTerm, entries: ents, commit: this.log.committed });
    const last = ents[ents.length - 1];
    if (pr.state === 'replicate') {
      if (last) pr.next = last.index + 1;
    } else if (pr.state === 'probe') {
      pr.probeSent = true;
    }
  }

  // ---- ReadIndex -------------------------------------------------------------------------

  private startRead(context: string): void {
    const index = this.log.committed;
    if (this.peers.length === 1) {
      this.readStates.push({ index, context });
      return;
    }
    this.pendingReads.push({ context, index, acks: new Set([this.id]) });
    this.bcastHeartbeat(context);
  }

  private ackRead(context: string, from: number): void {
    const at = this.pendingReads.findIndex((r) => r.context === context);
    const r = this.pendingReads[at];
    if (r === undefined) return;
    r.acks.add(from);
    if (r.acks.size < this.quorum()) return;
    // A quorum confirmed leadership after every earlier request too: release them in order.
    for (const done of this.pendingReads.splice(0, at + 1)) {
      this.readStates.push({ index: done.index, context: done.context });
    }
  }
}

function sameSoft(a: SoftState, b: SoftState): boolean { return a.lead === b.lead && a.state === b.state; }
function sameHard(a: HardState, b: HardState): boolean { return a.term === b.term && a.vote === b.vote && a.commit === b.commit; }

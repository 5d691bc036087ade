// Errors a caller of the Raft core can handle.
import { FluidError } from '../errors.js';

/** The operation needs the leader; `leader` is the known leader id (0 = unknown). */
export class NotLeaderError extends FluidError {
  readonly leader: number;
  constructor(leader: number) {
    super('NotLeader', leader === 0 ? 'not the leader and no leader is known' : `not the leader; leader is node ${leader}`);
    this.leader = leader;
  }
}

/** A proposal or read was dropped (leadership lost before it committed); retry it. */
export class ProposalDroppedError extends FluidError {
  constructor(message: string) {
    super('ProposalDropped', message);
  }
}

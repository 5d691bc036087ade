// Errors a caller of the Raft core can handle.
import { FluidError } from '../errors.js';

/**
 * The operation needs the leader. Raised by the Raft core (which knows the leader's node id) and by
 * the master over it (which also knows the leader's RPC address); the RPC layer sends
 * `leaderAddress` to the client so that it can go to the leader directly.
 */
export class NotLeaderError extends FluidError {
  /** The known leader's node id; 0 = unknown. */
  readonly leader: number;
  readonly leaderAddress: string | undefined;
  constructor(known: { readonly id?: number; readonly address?: string | undefined } = {}) {
    const where = known.address ? `; the leader is at ${known.address}`
      : known.id ? `; the leader is node ${known.id}` : '; no leader is known';
    super('NotLeader', `not the leader${where}`);
    this.leader = known.id ?? 0;
    this.leaderAddress = known.address;
  }
}

/** A proposal or read was dropped (leadership lost before it committed); retry it. */
export class ProposalDroppedError extends FluidError {
  constructor(message: string) {
    super('ProposalDropped', message);
  }
}

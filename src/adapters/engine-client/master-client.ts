// Client of the cache-engine master(s). Given every master's address, it finds the leader and
// follows it across failovers: a "NotLeader" answer (with or without a leader hint) or an
// unreachable master moves on to the next candidate; the same `x-request-id` is sent on every
// retry of one logical call, so the leader applies it at most once.
import { randomUUID } from 'node:crypto';
import type { MasterMethod, MasterMethods } from '../../api/engine-rpc.js';
import type { EngineCredential } from '../rpc/engine-credential.js';
import { RpcRemoteError, RpcUnreachableError } from '../rpc/rpc-errors.js';
import { callRpc } from '../rpc/rpc-client.js';

export interface MasterClientOptions {
  /** The runtime's engine credential, presented on every call. */
  readonly credential: EngineCredential;
  /** How long one logical call may keep looking for a leader before giving up. Default 30 s. */
  readonly failoverTimeoutMs?: number;
  /** Per-attempt timeout. Default 30 s. */
  readonly attemptTimeoutMs?: number;
}

export class MasterClient {
  private leader: string | undefined;
  private addresses: readonly string[];

  constructor(addresses: readonly string[], private readonly opts: MasterClientOptions) {
    if (addresses.length === 0) throw new RpcUnreachableError('(none)', 'no master address given');
    this.addresses = [...addresses];
  }

  /**
   * Replaces the masters' addresses (a master rescheduled to another node listens elsewhere). Calls
   * in flight finish their round with the old list; the next round uses the new one. An empty list
   * is ignored.
   */
  setAddresses(addresses: readonly string[]): void {
    if (addresses.length === 0) return;
    this.addresses = [...addresses];
    if (this.leader !== undefined && !this.addresses.includes(this.leader)) this.leader = undefined;
  }

  /** The credential this client presents (for building worker clients of the same runtime). */
  get credential(): EngineCredential {
    return this.opts.credential;
  }

  /** The address that answered last as leader, if any. */
  currentLeader(): string | undefined {
    return this.leader;
  }

  /** Calls `method` on the leader. Remote errors other than NotLeader are thrown as RpcRemoteError. */
  async call<M extends MasterMethod>(method: M, req: MasterMethods[M]['req'], signal?: AbortSignal): Promise<MasterMethods[M]['res']> {
    const requestId = randomUUID();
    const deadline = Date.now() + (this.opts.failoverTimeoutMs ?? 30_000);
    let last: unknown;
    let round = 0;
    for (;;) {
      const order = this.candidates();
      for (let i = 0; i < order.length; i++) {
        let target = order[i] as string;
        // Follow leader hints within this round without counting them as separate candidates.
        for (let hops = 0; hops < 3; hops++) {
          try {
            const res = await callRpc<MasterMethods[M]['res']>(target, method, req, {
              requestId, timeoutMs: this.opts.attemptTimeoutMs ?? 30_000, credential: this.opts.credential, ...(signal ? { signal } : {}),
            });
            this.leader = target;
            return res;
          } catch (err) {
            last = err;
            if (err instanceof RpcRemoteError && err.code === 'NotLeader') {
              if (this.leader === target) this.leader = undefined;
              if (err.leaderAddress && err.leaderAddress !== target) { target = err.leaderAddress; continue; }
              break;
            }
            if (err instanceof RpcUnreachableError) {
              if (this.leader === target) this.leader = undefined;
              break;
            }
            throw err;
          }
        }
      }
      if (signal?.aborted) throw last;
      if (Date.now() > deadline) {
        throw new RpcUnreachableError(this.addresses.join(','), `no leader master answered ${method}: ${last instanceof Error ? last.message : String(last)}`, { cause: last });
      }
      round++;
      // Short, capped pauses: an election takes 0.5-1 s, and asking 3-5 masters every 200 ms is cheap, so a
      // failover is noticed within ~200 ms of the new leader serving (the failover target is <= 2 s).
      await new Promise((r) => setTimeout(r, Math.min(200, 50 * 2 ** Math.min(round, 2))));
    }
  }

  private candidates(): string[] {
    const rest = this.addresses.filter((a) => a !== this.leader);
    return this.leader ? [this.leader, ...rest] : rest;
  }

  mounts(): Promise<MasterMethods['mounts']['res']> { return this.call('mounts', {}); }
  getStatus(path: string): Promise<MasterMethods['getStatus']['res']> { return this.call('getStatus', { path }); }
  listStatus(path: string): Promise<MasterMethods['listStatus']['res']> { return this.call('listStatus', { path }); }
  getBlockInfo(path: string): Promise<MasterMethods['getBlockInfo']['res']> { return this.call('getBlockInfo', { path }); }
  loadMetadata(path: string, recursive = true): Promise<MasterMethods['loadMetadata']['res']> { return this.call('loadMetadata', { path, recursive }); }
  stats(): Promise<MasterMethods['stats']['res']> { return this.call('stats', {}); }
  masterInfo(): Promise<MasterMethods['masterInfo']['res']> { return this.call('masterInfo', {}); }
  workers(): Promise<MasterMethods['workers']['res']> { return this.call('workers', {}); }
  backupMetadata(): Promise<MasterMethods['backupMetadata']['res']> { return this.call('backupMetadata', {}); }
}

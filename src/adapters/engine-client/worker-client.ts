// Client of one cache-engine worker: block reads (GET /blocks/...), short-circuit open/close,
// prefetch and stats.
import type { BlockRef, WorkerMethod, WorkerMethods } from '../../api/engine-rpc.js';
import type { EngineCredential } from '../rpc/engine-credential.js';
import { callRpc, httpExchange, httpGetInto, remoteError, type CallOptions } from '../rpc/rpc-client.js';

export interface BlockRead {
  readonly bytes: Buffer;
  /** Where the worker got them: its cache, the UFS (then cached), or the UFS without caching. */
  readonly cache: 'hit' | 'miss' | 'bypass';
}

export class WorkerClient {
  constructor(readonly address: string, private readonly credential: EngineCredential) {}

  call<M extends WorkerMethod>(method: M, req: WorkerMethods[M]['req'], opts: CallOptions = {}): Promise<WorkerMethods[M]['res']> {
    return callRpc(this.address, method, req, { ...opts, credential: this.credential });
  }

  /**
   * Reads a block, or the part [start, start+length) of it (relative to the block start).
   * The worker fills it from the UFS if missing. Throws RpcRemoteError / RpcUnreachableError.
   */
  async readBlock(ref: BlockRef, part?: { start: number; length: number }, opts: CallOptions = {}): Promise<BlockRead> {
    const headers: Record<string, string> = {};
    if (part) headers.range = `bytes=${part.start}-${part.start + part.length - 1}`;
    const res = await httpExchange(this.address, 'GET', this.blockPath(ref), headers, undefined, {
      timeoutMs: 120_000, ...opts, credential: this.credential,
    });
    if (res.status !== 200 && res.status !== 206) throw remoteError(this.address, 'readBlock', res);
    const cache = res.headers['x-fluid-cache'];
    return { bytes: res.body, cache: cache === 'hit' || cache === 'bypass' ? cache : 'miss' };
  }

  /**
   * Reads bytes [start, start + target.length) of a block straight into `target` (no
   * buffer of its own); rejects unless exactly that many bytes arrive.
   */
  async readBlockInto(ref: BlockRef, start: number, target: Uint8Array, opts: CallOptions = {}): Promise<{ cache: BlockRead['cache'] }> {
    const res = await httpGetInto(this.address, this.blockPath(ref), { range: `bytes=${start}-${start + target.length - 1}` }, target, {
      timeoutMs: 120_000, ...opts, credential: this.credential,
    });
    if (res.failed) throw remoteError(this.address, 'readBlock', res.failed);
    if (res.written !== target.length) throw new Error(`worker ${this.address} returned ${res.written} of ${target.length} bytes of block ${ref.blockId}`);
    const cache = res.headers['x-fluid-cache'];
    return { cache: cache === 'hit' || cache === 'bypass' ? cache : 'miss' };
  }

  openLocalBlock(ref: BlockRef): Promise<WorkerMethods['openLocalBlock']['res']> { return this.call('openLocalBlock', ref, { timeoutMs: 120_000 }); }
  closeLocalBlock(handle: string): Promise<WorkerMethods['closeLocalBlock']['res']> { return this.call('closeLocalBlock', { handle }); }
  loadBlocks(blocks: BlockRef[]): Promise<WorkerMethods['loadBlocks']['res']> { return this.call('loadBlocks', { blocks }, { timeoutMs: 600_000 }); }
  stats(): Promise<WorkerMethods['stats']['res']> { return this.call('stats', {}); }
  freeBlocks(blockIds: string[]): Promise<WorkerMethods['freeBlocks']['res']> { return this.call('freeBlocks', { blockIds }, { timeoutMs: 120_000 }); }

  private blockPath(ref: BlockRef): string {
    const q = new URLSearchParams({
      mount: ref.mount, path: ref.ufsPath, offset: String(ref.offset), length: String(ref.length), fingerprint: ref.fingerprint, blockSize: String(ref.blockSize),
    });
    return `/blocks/${encodeURIComponent(ref.blockId)}?${q.toString()}`;
  }

  /** True when GET /healthz answers 200. */
  async healthy(): Promise<boolean> {
    try {
      return (await httpExchange(this.address, 'GET', '/healthz', {}, undefined, { timeoutMs: 5_000 })).status === 200;
    } catch {
      return false;
    }
  }
}

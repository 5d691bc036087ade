// On-demand cache clean (`fluid cache clean`, DataClean): the blocks of every file under a dataset
// path are freed on every live worker (freeBlocks), whether or not the master's block map lists the
// worker as a holder yet (a block cached a moment ago may not have been reported). The master learns
// the removals from the workers' next heartbeats, as it learns evictions.
import { FREE_BLOCKS_MAX } from '../../api/engine-rpc.js';
import type { MasterClient } from './master-client.js';
import { walkFiles } from './walk-files.js';
import { WorkerClient } from './worker-client.js';

export interface CleanPathResult {
  readonly files: number;
  /** Blocks the files consist of (cached or not). */
  readonly blocks: number;
  readonly workers: number;
  readonly freedBlocks: number;
  readonly bytesFreed: number;
  /** Workers that could not be asked, with the reason; their blocks stay cached. */
  readonly failed: readonly { worker: string; reason: string }[];
}

export async function cleanPath(master: MasterClient, path: string): Promise<CleanPathResult> {
  const files = await walkFiles(master, path);
  const ids: string[] = [];
  for (const f of files) for (const b of (await master.getBlockInfo(f.path)).blocks) ids.push(b.blockId);
  const { workers } = await master.workers();
  let freedBlocks = 0;
  let bytesFreed = 0;
  const failed: { worker: string; reason: string }[] = [];
  await Promise.all(workers.map(async (w) => {
    const client = new WorkerClient(w.address, master.credential);
    try {
      for (let i = 0; i < ids.length; i += FREE_BLOCKS_MAX) {
        const r = await client.freeBlocks(ids.slice(i, i + FREE_BLOCKS_MAX));
        freedBlocks += r.freedBlocks;
        bytesFreed += r.bytesFreed;
      }
    } catch (err) {
      failed.push({ worker: w.id, reason: err instanceof Error ? err.message : String(err) });
    }
  }));
  return { files: files.length, blocks: ids.length, workers: workers.length, freedBlocks, bytesFreed, failed };
}

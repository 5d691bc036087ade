// Preloading (DataLoad, `fluid engine fs load`): walks a dataset path through the master and asks
// the workers to cache every block. Each block goes to one worker, chosen by a stable hash of its
// id over the live workers, so repeated loads hit the same worker; a block already cached anywhere
// is skipped.
import { blockRefOf } from '../../core/blockstore/block-id.js';
import type { BlockRef } from '../../api/engine-rpc.js';
import type { MasterClient } from './master-client.js';
import { walkFiles } from './walk-files.js';
import { WorkerClient } from './worker-client.js';

export interface LoadPathResult {
  readonly files: number;
  readonly blocks: number;
  /** Blocks that were already cached somewhere. */
  readonly alreadyCached: number;
  readonly loadedBlocks: number;
  readonly bytesFetched: number;
  readonly failed: readonly { blockId: string; reason: string }[];
}

/** Blocks per loadBlocks call; bounds the time one worker call takes. */
const BATCH = 8;

function pick(blockId: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < blockId.length; i++) h = Math.imul(h ^ blockId.charCodeAt(i), 16777619) >>> 0;
  return h % n;
}

export async function loadPath(master: MasterClient, path: string, opts: { replicas?: number } = {}): Promise<LoadPathResult> {
  const { workers } = await master.workers();
  if (workers.length === 0) throw new Error('no live worker to load into');
  await master.loadMetadata(path, true);
  const files = await walkFiles(master, path);
  const perWorker = new Map<number, BlockRef[]>();
  let blocks = 0;
  let alreadyCached = 0;
  const replicas = Math.max(1, Math.min(opts.replicas ?? 1, workers.length));
  for (const f of files) {
    const info = await master.getBlockInfo(f.path);
    for (const b of info.blocks) {
      blocks++;
      if (b.locations.length >= replicas) { alreadyCached++; continue; }
      const ref: BlockRef = blockRefOf(info, b);
      const first = pick(b.blockId, workers.length);
      for (let r = 0; r < replicas; r++) {
        const w = (first + r) % workers.length;
        const list = perWorker.get(w) ?? [];
        list.push(ref);
        perWorker.set(w, list);
      }
    }
  }
  let loadedBlocks = 0;
  let bytesFetched = 0;
  const failed: { blockId: string; reason: string }[] = [];
  await Promise.all([...perWorker].map(async ([w, refs]) => {
    const client = new WorkerClient((workers[w] as { address: string }).address, master.credential);
    for (let i = 0; i < refs.length; i += BATCH) {
      const batch = refs.slice(i, i + BATCH);
      try {
        const r = await client.loadBlocks(batch);
        loadedBlocks += r.loaded;
        alreadyCached += r.alreadyCached;
        bytesFetched += r.bytesFetched;
        failed.push(...r.failed);
      } catch (err) {
        for (const b of batch) failed.push({ blockId: b.blockId, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }));
  return { files: files.length, blocks, alreadyCached, loadedBlocks, bytesFetched, failed };
}

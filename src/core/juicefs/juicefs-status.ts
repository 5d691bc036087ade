// A JuiceFSRuntime's dataset status from its pods' GET /stats (JuiceFSStats). Pure.
// JuiceFS CE has no distributed cache: a node's cache is its tier directories, which the node's
// worker and FUSE clients share; each client accounts the blocks it knows of there. So:
//   cached    = per node, the largest juicefs_blockcache_bytes of its clients; summed over nodes
//   hit ratio = block cache hits / (hits + misses) over every client (Fluid's cacheHitRatio), and
//               the same by bytes (cacheThroughputRatio)
//   ufsTotal, fileNum = the subdir's length and files as JuiceFS reports them (any ready client)
import type { JuiceFSStats } from '../../api/juicefs-config.js';
import { cacheStates } from '../reconcile/cache-states.js';

export interface PodStatsSample {
  /** The node the pod runs on (status.hostIP or spec.nodeName). */
  readonly node: string;
  readonly stats: JuiceFSStats;
}

export interface JuiceFSDatasetStatus {
  readonly ufsTotalBytes: number;
  readonly fileCount: number;
  readonly cachedBytes: number;
  readonly cacheStates: Readonly<Record<string, string>>;
}

function ratio(hit: number, miss: number): string {
  const total = hit + miss;
  return total > 0 ? `${((hit * 100) / total).toFixed(1)}%` : '0.0%';
}

export function juicefsDatasetStatus(samples: readonly PodStatsSample[], capacityBytes: number): JuiceFSDatasetStatus | undefined {
  const ready = samples.filter((s) => s.stats.ready);
  if (ready.length === 0) return undefined;
  const ufsTotalBytes = Math.max(...ready.map((s) => s.stats.usedBytes));
  const fileCount = Math.max(...ready.map((s) => s.stats.fileCount));
  const perNode = new Map<string, number>();
  for (const s of ready) perNode.set(s.node, Math.max(perNode.get(s.node) ?? 0, s.stats.cacheBytes));
  const cachedBytes = [...perNode.values()].reduce((a, b) => a + b, 0);
  const sum = (f: (x: JuiceFSStats) => number): number => ready.reduce((a, s) => a + f(s.stats), 0);
  return {
    ufsTotalBytes, fileCount, cachedBytes,
    cacheStates: {
      ...cacheStates(cachedBytes, capacityBytes, ufsTotalBytes),
      cacheHitRatio: ratio(sum((x) => x.cacheHits), sum((x) => x.cacheMisses)),
      cacheThroughputRatio: ratio(sum((x) => x.cacheHitBytes), sum((x) => x.cacheMissBytes)),
    },
  };
}

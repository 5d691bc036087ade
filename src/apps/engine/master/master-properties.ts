// Master tunables, from MasterConfig.properties (Fluid/Alluxio-style keys accepted where they exist).
import { parseDurationMs, parseSize, propertyOr } from '../../../core/blockstore/size-parse.js';

export interface MasterProperties {
  /** Block size used to cut files into blocks (bytes). Workers follow the master's layout. */
  readonly blockSize: number;
  /** A worker silent for longer than this is dropped with its blocks (ms). */
  readonly workerTimeoutMs: number;
  /** Re-list directories older than this (ms); 0 = never (only explicit loadMetadata). */
  readonly syncIntervalMs: number;
  /** Parallel UFS listings while loading the namespace. */
  readonly listParallelism: number;
}

export const DEFAULT_BLOCK_SIZE = 16 * 1024 * 1024;

export function masterProperties(p: Readonly<Record<string, string>>): MasterProperties {
  const blockSize = propertyOr(p, ['fluid.worker.block.size', 'fluid.user.block.size', 'alluxio.user.block.size.bytes.default'], parseSize, DEFAULT_BLOCK_SIZE);
  if (blockSize < 4096) throw new RangeError(`property fluid.worker.block.size: must be at least 4096 bytes, got ${blockSize}`);
  const sync = propertyOr(p, ['fluid.master.metadata.sync.interval', 'alluxio.user.file.metadata.sync.interval'], (v, k) => (v.trim() === '-1' ? 0 : parseDurationMs(v, k)), 60_000);
  return {
    blockSize,
    workerTimeoutMs: propertyOr(p, ['fluid.master.worker.timeout', 'alluxio.master.worker.timeout'], parseDurationMs, 10_000),
    syncIntervalMs: sync,
    listParallelism: propertyOr(p, ['fluid.master.list.parallelism'], (v, k) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`${k}: expected an integer 1..64, got "${v}"`);
      return n;
    }, 4),
  };
}

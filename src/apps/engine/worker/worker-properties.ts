// Worker tunables, from WorkerConfig.properties.
import { parseDurationMs, parseSize, propertyOr } from '../../../core/blockstore/size-parse.js';

export interface WorkerProperties {
  /** Parallel UFS range reads per block fill. */
  readonly fillParallelism: number;
  /** Size of one UFS range read during a fill (bytes). */
  readonly fillRangeSize: number;
  readonly heartbeatIntervalMs: number;
  /** Eviction policy name (LRU). */
  readonly evictionPolicy: string;
  /** A short-circuit open not closed within this time is released (its pin dropped). */
  readonly localBlockLeaseMs: number;
  /** Memory for blocks fetched but not kept in any tier, served to their readers from there (bytes). */
  readonly uncachedBufferBytes: number;
  /** A not-kept block unused this long leaves that memory (ms). */
  readonly uncachedWindowMs: number;
  /** A short-circuit lease keeps its block only this long; then it is evictable after unleased blocks (ms). */
  readonly leaseGraceMs: number;
  /** A read-ahead block not read yet is not evicted by other read-ahead for this long (ms). */
  readonly prefetchHoldMs: number;
}

function intIn(lo: number, hi: number) {
  return (v: string, k: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new RangeError(`${k}: expected an integer ${lo}..${hi}, got "${v}"`);
    return n;
  };
}

export function workerProperties(p: Readonly<Record<string, string>>): WorkerProperties {
  const fillRangeSize = propertyOr(p, ['fluid.worker.fill.range.size'], parseSize, 2 * 1024 * 1024);
  if (fillRangeSize < 64 * 1024) throw new RangeError(`property fluid.worker.fill.range.size: must be at least 64KiB, got ${fillRangeSize}`);
  return {
    fillParallelism: propertyOr(p, ['fluid.worker.fill.parallelism'], intIn(1, 64), 8),
    fillRangeSize,
    heartbeatIntervalMs: propertyOr(p, ['fluid.worker.heartbeat.interval', 'alluxio.worker.block.heartbeat.interval'], parseDurationMs, 1000),
    evictionPolicy: p['fluid.worker.evictor.policy'] ?? 'LRU',
    localBlockLeaseMs: propertyOr(p, ['fluid.worker.local.block.lease'], parseDurationMs, 30 * 60_000),
    uncachedBufferBytes: propertyOr(p, ['fluid.worker.uncached.buffer.size'], parseSize, 64 * 1024 * 1024),
    uncachedWindowMs: propertyOr(p, ['fluid.worker.uncached.buffer.window'], parseDurationMs, 30_000),
    leaseGraceMs: propertyOr(p, ['fluid.worker.local.block.lease.grace'], parseDurationMs, 2_000),
    prefetchHoldMs: propertyOr(p, ['fluid.worker.prefetch.hold'], parseDurationMs, 60_000),
  };
}

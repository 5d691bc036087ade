// Per-runtime port allocation for embedded mode, where every pod shares one host address (as
// Fluid's host-network port allocator). The allocation is persisted on the runtime as the JSON
// annotation fluid.io/ports, so restarts and `fluid down`/`up` keep the same addresses.
import type { ComponentCounts, PortAllocation } from './runtime-engine.js';

export function parsePorts(annotation: string | undefined): PortAllocation | undefined {
  if (!annotation) return undefined;
  try {
    const v = JSON.parse(annotation) as Partial<PortAllocation>;
    const ok = (a: unknown): a is number[] => Array.isArray(a) && a.every((p) => Number.isInteger(p) && p > 0 && p < 65536);
    if (!ok(v.master) || !ok(v.worker) || typeof v.fuse !== 'number') return undefined;
    return { master: v.master, worker: v.worker, fuse: v.fuse };
  } catch {
    return undefined;
  }
}

/** How many new ports an allocation needs to cover `counts` (0 when it already does). */
export function portsNeeded(current: PortAllocation | undefined, counts: ComponentCounts): number {
  if (!current) return counts.master + counts.worker + 1;
  return Math.max(0, counts.master - current.master.length) + Math.max(0, counts.worker - current.worker.length);
}

/**
 * Extends `current` with `fresh` ports (taken in order) to cover `counts`. Existing ports are
 * kept; extra ones beyond the counts are kept too (scaling back up reuses them).
 */
export function extendPorts(current: PortAllocation | undefined, counts: ComponentCounts, fresh: readonly number[]): PortAllocation {
  const pool = [...fresh];
  const take = (): number => {
    const p = pool.shift();
    if (p === undefined) throw new Error('extendPorts: not enough fresh ports (call portsNeeded first)');
    return p;
  };
  const master = [...(current?.master ?? [])];
  const worker = [...(current?.worker ?? [])];
  const fuse = current?.fuse ?? take();
  while (master.length < counts.master) master.push(take());
  while (worker.length < counts.worker) worker.push(take());
  return { master, worker, fuse };
}

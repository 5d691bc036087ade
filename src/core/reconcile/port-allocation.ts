// Per-runtime port allocation, as Fluid's host-network port allocator: engine pods use host
// networking, so every port of every runtime comes from one cluster-wide range (Fluid's
// --runtime-port-range, default 20000-26000) and no two runtimes share one, whatever nodes their
// pods land on. The allocation is persisted on the runtime as the JSON annotation fluid.io/ports
// (the record in the API: a restarted controller rebuilds the taken set from every runtime), so
// restarts and `fluid down`/`up` keep the same addresses.
import type { ComponentCounts, PortAllocation } from './runtime-engine.js';
import { UsageError } from '../errors.js';

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

/** An inclusive port range, e.g. Fluid's default 20000-26000. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_PORT_RANGE: PortRange = { min: 20000, max: 26000 };

/** Thrown when the range has fewer free ports than a runtime needs. */
export class PortRangeExhaustedError extends Error {
  constructor(readonly range: PortRange, readonly needed: number, readonly free: number) {
    super(`runtime port range ${range.min}-${range.max} has ${free} free port(s), ${needed} needed (widen --runtime-port-range, or delete runtimes)`);
    this.name = 'PortRangeExhaustedError';
  }
}

/** Parses "MIN-MAX" (Fluid's --runtime-port-range); throws naming the flag otherwise. */
export function parsePortRange(text: string): PortRange {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text.trim());
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1 || max > 65535 || min > max) throw new UsageError(`--runtime-port-range: expected MIN-MAX with 1 <= MIN <= MAX <= 65535, got "${text}"`);
  return { min, max };
}

/** Every port an allocation holds. */
export function portsOf(a: PortAllocation): number[] {
  return [...a.master, ...a.worker, a.fuse];
}

/**
 * `n` ports of `range` that are neither `taken` nor refused by `usable`, scanning upwards from
 * `start` (any number; it is folded into the range, wrapping around), in scan order. The driver
 * passes a random start, so two controllers or homes do not contend for the same ports first.
 */
export function allocatePorts(range: PortRange, taken: ReadonlySet<number>, n: number, start: number, usable: (port: number) => boolean = () => true): number[] {
  const size = range.max - range.min + 1;
  const first = ((Math.floor(start) % size) + size) % size;
  const out: number[] = [];
  for (let i = 0; i < size && out.length < n; i++) {
    const p = range.min + ((first + i) % size);
    if (!taken.has(p) && usable(p)) out.push(p);
  }
  if (out.length < n) throw new PortRangeExhaustedError(range, n, out.length);
  return out;
}

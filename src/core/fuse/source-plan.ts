// Chooses, per block, the ordered list of places the FUSE client tries. Policy:
//   1. a worker on the client's own host: short-circuit read of its block file;
//   2. the workers over their block endpoint, those already holding the block first (a same-host
//      worker is listed here too: it can serve a block over HTTP that it cannot keep in a tier);
//   3. the under storage itself, always last, so a read never fails because a worker died.
// Workers that recently failed are moved behind the healthy ones (never dropped: they may be back).

export interface WorkerView {
  readonly id: string;
  readonly host: string;
  /** host:port of its RPC/block listener. */
  readonly address: string;
}

export type SourceAttempt =
  | { readonly kind: 'short-circuit'; readonly worker: WorkerView }
  | { readonly kind: 'remote'; readonly worker: WorkerView }
  | { readonly kind: 'ufs' };

export interface SourcePlanInput {
  readonly localHost: string;
  readonly workers: readonly WorkerView[];
  /** Worker ids that hold the block now (from the master's block map); may be empty. */
  readonly holders: readonly string[];
  /** Worker ids that failed recently. */
  readonly suspect: ReadonlySet<string>;
  /** A stable number (e.g. a hash of the block id) spreading blocks across workers. */
  readonly spread: number;
}

export function planSources(input: SourcePlanInput): SourceAttempt[] {
  const holders = new Set(input.holders);
  const n = input.workers.length;
  // Rotate by `spread` so that cold blocks are spread across workers instead of all on the first.
  const rotated = input.workers.map((_, i) => input.workers[(i + (n > 0 ? input.spread % n : 0)) % n]).filter((w): w is WorkerView => w !== undefined);
  const rank = (w: WorkerView): number => (input.suspect.has(w.id) ? 2 : 0) + (holders.has(w.id) ? 0 : 1);
  const ordered = rotated
    .map((w, i) => ({ w, i }))
    .sort((a, b) => rank(a.w) - rank(b.w) || a.i - b.i)
    .map((x) => x.w);
  const out: SourceAttempt[] = [];
  const local = ordered.filter((w) => w.host === input.localHost && !input.suspect.has(w.id));
  for (const w of local) out.push({ kind: 'short-circuit', worker: w });
  for (const w of ordered) out.push({ kind: 'remote', worker: w });
  out.push({ kind: 'ufs' });
  return out;
}

// Exponential backoff shared by the work queue (rate-limited requeue) and the process
// supervisor (restart delay). Pure: callers keep the failure count and own the timers.

export interface BackoffOptions {
  /** Delay after the first failure, ms. */
  readonly baseMs: number;
  /** Upper bound, ms. */
  readonly maxMs: number;
}

/** Delay before retry number `failures` (1 = first retry): base * 2^(failures-1), capped at max. */
export function backoffDelay(failures: number, opts: BackoffOptions): number {
  if (failures <= 0) return 0;
  const exp = Math.min(failures - 1, 30);
  return Math.min(opts.maxMs, opts.baseMs * 2 ** exp);
}

// management.cleanCachePolicy at runtime shutdown (Fluid's RuntimeManagement): before the workers
// are deleted, the runtime's cache is freed through the engine (every worker unlinks its own
// blocks on its own host). One attempt may take gracePeriodSeconds (default 60); a failed attempt
// is retried up to maxRetryAttempts times (default 3); then the shutdown goes on either way, as in
// Fluid. Progress lives in the runtime annotation CLEAN_CACHE_ANNOTATION ("failed:<n>" | "done"), so
// a restarted controller neither repeats a finished clean nor retries forever. Pure.

export const CLEAN_CACHE_ANNOTATION = 'fluid.io/clean-cache';

export interface CleanCachePolicy {
  readonly gracePeriodSeconds: number;
  readonly maxRetryAttempts: number;
}

export const DEFAULT_CLEAN_CACHE_POLICY: CleanCachePolicy = { gracePeriodSeconds: 60, maxRetryAttempts: 3 };

/** The policy from spec.management.cleanCachePolicy, defaults for absent or malformed fields. */
export function cleanCachePolicyOf(management: Readonly<Record<string, unknown>> | undefined): CleanCachePolicy {
  const p = management?.['cleanCachePolicy'];
  const o = typeof p === 'object' && p !== null ? p as Record<string, unknown> : {};
  const int = (v: unknown, d: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : d);
  return { gracePeriodSeconds: int(o['gracePeriodSeconds'], DEFAULT_CLEAN_CACHE_POLICY.gracePeriodSeconds), maxRetryAttempts: int(o['maxRetryAttempts'], DEFAULT_CLEAN_CACHE_POLICY.maxRetryAttempts) };
}

export type ShutdownCleanDecision =
  | { readonly action: 'skip' }
  | { readonly action: 'attempt'; readonly attempt: number; readonly timeoutMs: number; readonly last: boolean };

/** `state`: the annotation's value; `workersUp`: there is an engine to ask. */
export function decideShutdownClean(policy: CleanCachePolicy, state: string | undefined, workersUp: boolean): ShutdownCleanDecision {
  if (state === 'done' || !workersUp) return { action: 'skip' };
  const failed = /^failed:(\d+)$/.exec(state ?? '');
  const attempt = (failed ? Number(failed[1]) : 0) + 1;
  if (attempt > policy.maxRetryAttempts + 1) return { action: 'skip' };
  return { action: 'attempt', attempt, timeoutMs: policy.gracePeriodSeconds * 1000, last: attempt === policy.maxRetryAttempts + 1 };
}

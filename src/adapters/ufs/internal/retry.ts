// Bounded retry of transient under-storage failures (UfsUnavailableError with retriable=true only).
import { UfsUnavailableError } from '../../../core/ufs/ufs-errors.js';
import { sleep } from './abort.js';

export interface RetryPolicy {
  /** Total attempts, first included (>= 1). */
  readonly attempts: number;
  /** Delay before the second attempt, ms; doubles each time (with up to 50% jitter). */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100 };

/**
 * Runs `fn` until it succeeds, throws a non-transient error, the attempts run out (the last
 * error is thrown) or `signal` aborts (its reason is thrown).
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof UfsUnavailableError) || !err.retriable || attempt >= policy.attempts || signal?.aborted) throw err;
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await sleep(delay + Math.floor(Math.random() * delay * 0.5), signal);
    }
  }
}

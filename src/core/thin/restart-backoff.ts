// Restart policy for the supervised FUSE client: exponential backoff capped at `maxMs`, reset
// once the client has stayed up (mounted) for `resetAfterMs`. Pure: the driver passes `now` (ms).

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A run at least this long (ms) resets the delay to initialMs. */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

export class RestartBackoff {
  private failures = 0;
  constructor(private readonly opts: BackoffOptions = DEFAULT_BACKOFF) {}

  /** Consecutive failed runs so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Records that a run which started at `startedAt` ended at `now`; returns the delay (ms)
   * before the next start.
   */
  onExit(startedAt: number, now: number): number {
    if (now - startedAt >= this.opts.resetAfterMs) this.failures = 0;
    const delay = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return delay;
  }
}

/**
 * A background round that reschedules itself: `round()` runs, and the delay it returns (ms) decides
 * when it runs next. At most one timer per task is ever pending, so a task that runs every 100 ms
 * for days holds one timer, not one per round. `stop()` cancels the pending timer; a round already
 * running finishes, but schedules nothing after it.
 */
export interface TimerPort {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const nodeTimers: TimerPort = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => { clearTimeout(handle as NodeJS.Timeout); },
};

export interface PeriodicTaskOptions {
  /** Delay after a round that threw (ms). */
  readonly errorDelayMs?: number;
  /** Called with the error of a failed round; the task goes on. */
  readonly onError: (err: unknown) => void;
  readonly timers?: TimerPort;
}

export class PeriodicTask {
  private handle: unknown = undefined;
  private stopped = false;
  private readonly timers: TimerPort;

  constructor(private readonly round: () => Promise<number>, private readonly opts: PeriodicTaskOptions) {
    this.timers = opts.timers ?? nodeTimers;
  }

  /** Schedules the first round at once (after the current tick). */
  start(): this {
    this.schedule(0);
    return this;
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.timers.clear(this.handle);
    this.handle = undefined;
  }

  /** 1 while a round is scheduled, 0 while one runs or after stop(). */
  get pendingTimers(): number {
    return this.handle === undefined ? 0 : 1;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.handle = this.timers.set(() => {
      this.handle = undefined;
      void this.run();
    }, ms);
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    let delay = this.opts.errorDelayMs ?? 1000;
    try {
      delay = await this.round();
    } catch (err) {
      this.opts.onError(err);
    }
    this.schedule(delay);
  }
}

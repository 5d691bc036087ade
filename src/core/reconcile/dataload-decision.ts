// What the DataLoad controller does next, from the DataLoad's status and the clock.
// Phases: Pending -> Executing -> Complete | Failed. Policy Once runs once; Cron re-runs at
// every fire time of spec.schedule after the last run started (status.lastScheduleTime).
import { nextFireOf } from './cron-schedule.js';

export type DataLoadPhase = 'Pending' | 'Executing' | 'Complete' | 'Failed';
export type DataLoadPolicy = 'Once' | 'Cron';

export interface DataLoadSnapshot {
  readonly phase: DataLoadPhase | undefined;
  readonly policy: DataLoadPolicy;
  readonly schedule: string | undefined;
  /** ms since the epoch; undefined before the first run. */
  readonly lastScheduleTimeMs: number | undefined;
  /** ms since the epoch of the DataLoad's creation (first Cron fire is after it). */
  readonly createdMs: number;
  readonly datasetBound: boolean;
  /** This controller instance is running the load now (Executing after a restart is stale). */
  readonly running: boolean;
}

export type DataLoadDecision =
  | { readonly action: 'wait'; readonly reason: string; readonly requeueAfterMs: number }
  | { readonly action: 'start' }
  | { readonly action: 'fail'; readonly reason: string; readonly message: string }
  | { readonly action: 'idle'; readonly requeueAfterMs?: number };

export function decideDataLoad(s: DataLoadSnapshot, nowMs: number): DataLoadDecision {
  if (s.running) return { action: 'idle' };
  if (s.policy === 'Once') {
    if (s.phase === 'Complete' || s.phase === 'Failed') return { action: 'idle' };
    if (!s.datasetBound) return { action: 'wait', reason: 'DatasetNotBound', requeueAfterMs: 5_000 };
    // Pending, or Executing left over from a crashed controller: (re)start; loading is idempotent.
    return { action: 'start' };
  }
  if (!s.schedule) return { action: 'fail', reason: 'InvalidSchedule', message: 'spec.schedule: required when spec.policy is Cron' };
  let next: number | undefined;
  try {
    next = nextFireOf(s.schedule, s.lastScheduleTimeMs ?? s.createdMs);
  } catch (err) {
    return { action: 'fail', reason: 'InvalidSchedule', message: `spec.schedule: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (next === undefined) return { action: 'idle' };
  if (next > nowMs) return { action: 'idle', requeueAfterMs: next - nowMs };
  if (!s.datasetBound) return { action: 'wait', reason: 'DatasetNotBound', requeueAfterMs: 5_000 };
  return { action: 'start' };
}

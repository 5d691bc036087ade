// Fire times of DataLoad policy Cron schedules (UTC). Parsing lives with the kind definition
// (api/kinds/cron-schedule.ts); this module only computes the next fire time. Pure: the caller
// passes times in ms since the epoch.
import { parseCronSchedule, type CronSchedule } from '../../api/kinds/cron-schedule.js';

export { parseCronSchedule as parseCron, InvalidCronError as CronSyntaxError } from '../../api/kinds/cron-schedule.js';
export type { CronSchedule };

const MINUTE = 60_000;

function matches(s: CronSchedule, t: Date): boolean {
  if (!s.minutes.has(t.getUTCMinutes()) || !s.hours.has(t.getUTCHours()) || !s.months.has(t.getUTCMonth() + 1)) return false;
  const dom = s.daysOfMonth.has(t.getUTCDate());
  const dow = s.daysOfWeek.has(t.getUTCDay());
  // Vixie cron: when both day fields are restricted, either may match.
  if (!s.domStar && !s.dowStar) return dom || dow;
  return dom && dow;
}

/** First fire time strictly after `afterMs` (minute-aligned), or undefined within 5 years. */
export function nextFire(s: CronSchedule, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  const limit = afterMs + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const d = new Date(t);
    if (matches(s, d)) return t;
    if (!s.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    t += MINUTE;
  }
  return undefined;
}

/** Parses and computes in one step (throws InvalidCronError naming the bad field). */
export function nextFireOf(schedule: string, afterMs: number): number | undefined {
  return nextFire(parseCronSchedule(schedule), afterMs);
}

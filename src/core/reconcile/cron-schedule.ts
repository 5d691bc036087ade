// Fire times of DataLoad policy Cron schedules (UTC), computed by cron-parser. Parsing and the
// Kubernetes rules live with the kind definition (api/kinds/cron-schedule.ts). Pure: the caller
// passes times in ms since the epoch.
import { CronExpressionParser } from 'cron-parser';
import { parseCronSchedule, type CronSchedule } from '../../api/kinds/cron-schedule.js';

export { parseCronSchedule as parseCron, InvalidCronError as CronSyntaxError } from '../../api/kinds/cron-schedule.js';
export type { CronSchedule };

const FIVE_YEARS_MS = 5 * 366 * 24 * 3600 * 1000;

/** First fire time strictly after `afterMs` (minute-aligned, UTC), or undefined within 5 years. */
export function nextFire(s: CronSchedule, afterMs: number): number | undefined {
  const it = CronExpressionParser.parse(s.expression, {
    tz: 'UTC', currentDate: new Date(afterMs), endDate: new Date(afterMs + FIVE_YEARS_MS),
  });
  return it.hasNext() ? it.next().getTime() : undefined;
}

/** Parses and computes in one step (throws InvalidCronError naming the bad field). */
export function nextFireOf(schedule: string, afterMs: number): number | undefined {
  return nextFire(parseCronSchedule(schedule), afterMs);
}

// Standard 5-field cron schedules (minute hour day-of-month month day-of-week), as a Kubernetes
// CronJob accepts them (DataLoad spec.schedule when policy is Cron), and the @hourly-style
// descriptors. The parsing is cron-parser's; this module adds what Kubernetes requires on top of it
// (exactly 5 fields, none of the L/W/# extensions) and returns the expanded sets.
import { CronExpressionParser } from 'cron-parser';


export interface CronSchedule {
  readonly minutes: ReadonlySet<number>; // 0-59
  readonly hours: ReadonlySet<number>; // 0-23
  readonly daysOfMonth: ReadonlySet<number>; // 1-31
  readonly months: ReadonlySet<number>; // 1-12
  readonly daysOfWeek: ReadonlySet<number>; // 0-6, Sunday = 0 (7 is folded to 0)
  /** True when day-of-month was "*" (cron ORs dom/dow only when both are restricted). */
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** The 5-field expression (descriptors expanded), for computing fire times. */
  readonly expression: string;
}

export class InvalidCronError extends Error {
  readonly code = 'Invalid';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCronError';
  }
}

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const FIELD_LABELS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/** Parses a schedule; throws InvalidCronError naming the bad field. */
export function parseCronSchedule(schedule: string): CronSchedule {
  const text = DESCRIPTORS[schedule.trim()] ?? schedule.trim();
  const parts = text.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    throw new InvalidCronError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  // Month and day names (JUL, WED) are three letters; a lone L or W, or a #, is an extension.
  const ext = /[LW#]/i.exec(parts.join(' ').replace(/[A-Za-z]{3}/g, ''));
  if (ext) throw new InvalidCronError(`"${ext[0]}" (the L/W/# extensions) is not part of the standard schedule syntax`);
  let fields;
  try {
    fields = CronExpressionParser.parse(parts.join(' '), { tz: 'UTC' }).fields;
  } catch (err) {
    // Name the field: the first one that fails alone, with "*" in the others.
    const bad = FIELD_LABELS.findIndex((_, i) => {
      try {
        CronExpressionParser.parse(FIELD_LABELS.map((__, j) => (j === i ? parts[i] : '*')).join(' '), { tz: 'UTC' });
        return false;
      } catch {
        return true;
      }
    });
    const msg = err instanceof Error ? err.message : String(err);
    throw new InvalidCronError(bad >= 0 ? `${FIELD_LABELS[bad] ?? ''} "${parts[bad] ?? ''}": ${msg}` : msg);
  }
  const dow = new Set<number>(fields.dayOfWeek.values.map((d) => (d === 7 ? 0 : Number(d))));
  return {
    minutes: new Set(fields.minute.values), hours: new Set(fields.hour.values),
    daysOfMonth: new Set(fields.dayOfMonth.values.flatMap((d) => (typeof d === 'number' ? [d] : []))),
    months: new Set(fields.month.values), daysOfWeek: dow,
    domStar: parts[2] === '*' || parts[2] === '?', dowStar: parts[4] === '*' || parts[4] === '?',
    expression: parts.join(' '),
  };
}

// Standard 5-field cron schedules (minute hour day-of-month month day-of-week), as accepted by
// DataLoad spec.schedule when policy is Cron. Also the @hourly-style descriptors.
// parseCronSchedule returns the expanded sets so a controller can compute fire times.

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>; // 0-59
  readonly hours: ReadonlySet<number>; // 0-23
  readonly daysOfMonth: ReadonlySet<number>; // 1-31
  readonly months: ReadonlySet<number>; // 1-12
  readonly daysOfWeek: ReadonlySet<number>; // 0-6, Sunday = 0 (7 is folded to 0)
  /** True when day-of-month was "*" (cron ORs dom/dow only when both are restricted). */
  readonly domStar: boolean;
  readonly dowStar: boolean;
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
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec { readonly label: string; readonly min: number; readonly max: number; readonly names?: readonly string[]; readonly namesBase?: number }
const FIELDS: readonly FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTHS, namesBase: 1 },
  { label: 'day of week', min: 0, max: 7, names: DAYS, namesBase: 0 },
];

function atom(text: string, f: FieldSpec): number {
  const idx = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (idx >= 0) return idx + (f.namesBase ?? 0);
  if (!/^\d+$/.test(text)) throw new InvalidCronError(`${f.label}: "${text}" is not a number`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new InvalidCronError(`${f.label}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function field(text: string, f: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || step < 1)) throw new InvalidCronError(`${f.label}: bad step "${stepText}"`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = atom(a, f);
      hi = atom(b, f);
      if (lo > hi) throw new InvalidCronError(`${f.label}: range "${range}" is backwards`);
    } else {
      lo = atom(range, f);
      hi = stepText === undefined ? lo : f.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a schedule; throws InvalidCronError naming the bad field. */
export function parseCronSchedule(schedule: string): CronSchedule {
  const text = DESCRIPTORS[schedule.trim()] ?? schedule.trim();
  const parts = text.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    throw new InvalidCronError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const sets = parts.map((p, i) => field(p, FIELDS[i] ?? FIELDS[0]!));
  const dow = sets[4] ?? new Set<number>();
  if (dow.delete(7)) dow.add(0);
  return {
    minutes: sets[0] ?? new Set(), hours: sets[1] ?? new Set(), daysOfMonth: sets[2] ?? new Set(),
    months: sets[3] ?? new Set(), daysOfWeek: dow, domStar: parts[2] === '*', dowStar: parts[4] === '*',
  };
}

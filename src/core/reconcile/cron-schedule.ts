// Standard five-field cron expressions ("m h dom mon dow", UTC) for DataLoad policy Cron.
// Supports "*", "*/n", "a", "a-b", "a-b/n" and comma lists; dow 0-7 (0 and 7 = Sunday).
// Pure: the caller passes times in ms since the epoch.

export class CronSyntaxError extends Error {
  constructor(readonly expression: string, detail: string) {
    super(`invalid cron schedule ${JSON.stringify(expression)}: ${detail}`);
    this.name = 'CronSyntaxError';
  }
}

export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *',
};

function field(expr: string, text: string, min: number, max: number, name: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronSyntaxError(expr, `${name} field "${text}" is not a number, range, list or step`);
    const [, range = '', stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(expr, `${name} step must be at least 1`);
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      lo = Number(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : Number(b);
    }
    if (lo < min || hi > max || lo > hi) throw new CronSyntaxError(expr, `${name} value out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new CronSyntaxError(expression, `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const [mi = '', h = '', dom = '', mon = '', dow = ''] = parts;
  const weekdays = field(expression, dow, 0, 7, 'day-of-week');
  if (weekdays.has(7)) weekdays.add(0);
  return {
    expression,
    minutes: field(expression, mi, 0, 59, 'minute'),
    hours: field(expression, h, 0, 23, 'hour'),
    days: field(expression, dom, 1, 31, 'day-of-month'),
    months: field(expression, mon, 1, 12, 'month'),
    weekdays,
    domStar: dom === '*',
    dowStar: dow === '*',
  };
}

const MINUTE = 60_000;

function matches(s: CronSchedule, t: Date): boolean {
  if (!s.minutes.has(t.getUTCMinutes()) || !s.hours.has(t.getUTCHours()) || !s.months.has(t.getUTCMonth() + 1)) return false;
  const dom = s.days.has(t.getUTCDate());
  const dow = s.weekdays.has(t.getUTCDay());
  // Vixie cron: when both day fields are restricted, either may match.
  if (!s.domStar && !s.dowStar) return dom || dow;
  return dom && dow;
}

/** First fire time strictly after `afterMs` (ms, minute-aligned), or undefined within 5 years. */
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

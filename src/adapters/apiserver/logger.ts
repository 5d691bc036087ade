// Structured logging: one JSON object per line. Callers pass facts, never secrets or request
// bodies; the logger does not try to redact. Levels, lowest first: debug < info < warn < error;
// lines below the logger's minimum level are not written (per-request access lines are debug).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

export interface JsonLoggerOptions {
  readonly clock?: () => Date;
  /** Lines below this level are dropped; default info. */
  readonly level?: LogLevel;
}

/** Parses a level name (FLUID_LOG_LEVEL); undefined for anything else. */
export function parseLogLevel(v: string | undefined): LogLevel | undefined {
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? v : undefined;
}

/** Writes JSON lines `{ts, level, msg, ...fields}` through `write`. */
export function jsonLogger(write: (line: string) => void, base: Record<string, unknown> = {}, opts: JsonLoggerOptions | (() => Date) = {}): Logger {
  const o: JsonLoggerOptions = typeof opts === 'function' ? { clock: opts } : opts;
  const clock = o.clock ?? ((): Date => new Date());
  const min = RANK[o.level ?? 'info'];
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] < min) return;
    write(`${JSON.stringify({ ts: clock().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (f) => jsonLogger(write, { ...base, ...f }, o),
  };
}

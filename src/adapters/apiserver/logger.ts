// Structured logging: one JSON object per line. Callers pass facts, never secrets or request
// bodies; the logger does not try to redact.

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Detail for diagnosis; dropped unless the logger was made with debug on. */
  debug?(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** Writes JSON lines `{ts, level, msg, ...fields}` through `write`; debug lines only when `debug`. */
export function jsonLogger(write: (line: string) => void, base: Record<string, unknown> = {}, clock: () => Date = () => new Date(), debug = false): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>): void => {
    write(`${JSON.stringify({ ts: clock().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    debug: (m, f) => { if (debug) emit('debug', m, f); },
    child: (f) => jsonLogger(write, { ...base, ...f }, clock, debug),
  };
}

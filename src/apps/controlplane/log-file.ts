// The control plane's log file with size-based rotation: when a write would take PATH past
// `maxBytes`, PATH.(keep-1) is dropped, PATH.i becomes PATH.(i+1) and PATH becomes PATH.1, as
// logrotate names them. Files are created 0600. Writes are synchronous appends, so a line is on
// disk (page cache) when the call returns and lines are never interleaved or split.
import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';

export interface RotatingLogOptions {
  readonly path: string;
  /** Rotate before the file would exceed this size (bytes); default 10 MiB. */
  readonly maxBytes?: number;
  /** Rotated files kept besides PATH (PATH.1 .. PATH.keep); default 3. */
  readonly keep?: number;
}

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 3;

/** Returns a write function for jsonLogger. */
export function rotatingLogWriter(opts: RotatingLogOptions): (line: string) => void {
  const maxBytes = opts.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  const keep = Math.max(1, opts.keep ?? DEFAULT_LOG_KEEP);
  let size = sizeOf(opts.path);
  return (line: string): void => {
    const n = Buffer.byteLength(line);
    if (size > 0 && size + n > maxBytes) {
      rmSync(`${opts.path}.${keep}`, { force: true });
      for (let i = keep - 1; i >= 1; i--) renameQuietly(`${opts.path}.${i}`, `${opts.path}.${i + 1}`);
      renameQuietly(opts.path, `${opts.path}.1`);
      size = 0;
    }
    appendFileSync(opts.path, line, { mode: 0o600 });
    size += n;
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

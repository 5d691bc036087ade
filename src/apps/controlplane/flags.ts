// Minimal `--name value` / `--name=value` flag parsing for the control-plane commands.
import { UsageError } from '../../core/errors.js';

export function parseFlags(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new UsageError(`unexpected argument "${a}"`);
    const name = m[1] ?? '';
    if (!allowed.includes(name)) throw new UsageError(`unknown flag --${name}; expected one of ${allowed.map((f) => `--${f}`).join(', ')}`);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    out.set(name, value);
  }
  return out;
}

export function portFlag(flags: Map<string, string>): number | undefined {
  const v = flags.get('port');
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) > 65535) throw new UsageError(`--port: invalid value "${v}": expected an integer 0-65535 (0 = pick a free port)`);
  return Number(v);
}

export function watchHistoryFlag(flags: Map<string, string>): { watchHistory?: number } {
  const v = flags.get('watch-history');
  if (v === undefined) return {};
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) throw new UsageError(`--watch-history: invalid value "${v}": expected a positive integer (change-log entries kept for watch)`);
  return { watchHistory: Number(v) };
}

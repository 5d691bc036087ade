// Shared plumbing of the bench scripts (not a test): cleanup scopes, timing, medians, process CPU
// time from /proc, the page-cache drop and an rclone mount of an HTTP source.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Cleanup, dropPageCache, isMountpoint, unmountQuietly, waitFor } from '../../test/support/proc.js';

export class Scope implements Cleanup {
  private readonly fns: (() => unknown)[] = [];
  after(fn: () => unknown): void { this.fns.push(fn); }
  async close(): Promise<void> {
    for (const fn of this.fns.splice(0)) {
      try { await fn(); } catch (err) { process.stderr.write(`cleanup: ${(err as Error).message}\n`); }
    }
  }
}

/** Runs a command to completion (stdout discarded); rejects on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { shell?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = opts.shell ? spawn('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`))));
  });
}

/** Runs a shell command line to completion. */
export function sh(line: string): Promise<void> {
  return run(line, [], { shell: true });
}

/** Wall-clock seconds `fn` took. */
export async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** User + system CPU seconds of a process so far (/proc/PID/stat), 0 when unknown. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** CPU seconds each named process spends while `fn` runs. */
export class CpuMeter {
  private readonly start: number[];
  constructor(private readonly procs: readonly (readonly [string, number | undefined])[]) {
    this.start = procs.map(([, pid]) => cpuSeconds(pid));
  }
  /** "name 1.23, ..." plus the total. */
  report(): { text: string; total: number } {
    const used = this.procs.map(([name, pid], i) => [name, cpuSeconds(pid) - (this.start[i] ?? 0)] as const);
    const total = used.reduce((s, [, v]) => s + v, 0);
    return { text: `${used.map(([n, v]) => `${n} ${v.toFixed(2)}`).join(', ')}; total ${total.toFixed(2)}`, total };
  }
}

export function dropCaches(): void {
  if (!dropPageCache()) process.stderr.write('warning: cannot drop the page cache (not root?)\n');
}

/** `rclone mount :http: URL --vfs-cache-mode full` at BASE/NAME-mnt (cache in BASE/NAME-cache), unmounted by `scope`. */
export async function rcloneMount(scope: Cleanup, url: string, base: string, name: string): Promise<string> {
  const mnt = join(base, `${name}-mnt`);
  const cache = join(base, `${name}-cache`);
  mkdirSync(mnt, { recursive: true });
  const p = spawn('rclone', ['mount', ':http:', mnt, '--http-url', url, '--vfs-cache-mode', 'full', '--cache-dir', cache, '--read-only'], { stdio: 'ignore' });
  scope.after(async () => {
    unmountQuietly(mnt);
    if (p.exitCode === null) { p.kill('SIGTERM'); await new Promise((r) => p.once('exit', r)); }
  });
  await waitFor('rclone mount', () => isMountpoint(mnt), 30_000);
  return mnt;
}

/** a / b to two decimals, or n/a. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : 'n/a';
}

export const sec = (s: number): string => `${s.toFixed(3)} s`;

/** Runs a bench's main; a failure prints its stack and exits 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}

// Helpers for integration tests that start real processes. Every helper registers cleanup
// with the test context so a failing test leaves no process, mount or temp dir behind.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Compiled CLI entry next to this compiled file: <out>/test/support -> <out>/src/apps/cli/entry.js. */
export const cliEntry = fileURLToPath(new URL('../../src/apps/cli/entry.js', import.meta.url));

/** Repository root: the nearest ancestor of this compiled file that holds package.json (works for dist/ and .build/NAME/). */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export interface Cleanup {
  after(fn: () => unknown | Promise<unknown>): void;
}

export function tempDir(t: Cleanup, prefix = 'fluid-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Proc {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts a long-running process. At test end, if still alive, it gets `stopSignal` (default SIGKILL);
 * after 5 s it is SIGKILLed. Servers that fork workers (nginx) need SIGTERM so no worker is orphaned.
 */
export function start(t: Cleanup, cmd: string, args: string[], opts: SpawnOptions & { stopSignal?: NodeJS.Signals } = {}): Proc {
  const { stopSignal = 'SIGKILL', ...spawnOpts } = opts;
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, sig) => resolve(code ?? sig ?? -1));
  });
  const proc: Proc = {
    child,
    output: () => out,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(stopSignal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  });
  return proc;
}

/** Starts `fluid <args>` from the compiled tree under test. */
export function startFluid(t: Cleanup, args: string[], opts: SpawnOptions = {}): Proc {
  return start(t, process.execPath, ['--enable-source-maps', cliEntry, ...args], opts);
}

/** Runs `fluid <args>` to completion. */
export function runFluid(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliEntry, ...args], {
    encoding: 'utf8', env: opts.env ?? process.env, input: opts.input, timeout: opts.timeoutMs ?? 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Drops the kernel page cache (root only); false when not permitted. */
export function dropPageCache(): boolean {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

/** Reads `len` bytes at `off` with as many preads as it takes; the result is shorter only at end of file. */
export function preadFully(fd: number, len: number, off: number): Buffer {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, off + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lazy-unmounts `path` if it is a mountpoint (ignores errors). */
export function unmountQuietly(path: string): void {
  spawnSync('fusermount', ['-u', '-z', path], { stdio: 'ignore' });
  spawnSync('umount', ['-l', path], { stdio: 'ignore' });
}

/** True if `path` is currently a mountpoint (per /proc/self/mountinfo). */
export function isMountpoint(path: string): boolean {
  return spawnSync('mountpoint', ['-q', path]).status === 0;
}

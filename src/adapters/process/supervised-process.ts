// One supervised child process: started with its output appended to a log file, restarted with
// exponential backoff when it exits (so a crashing component never eats the CPU), stopped with
// SIGTERM (then SIGKILL after a grace period) or killed at once. The pid is kept in a file so a
// restarted supervisor can reap a process orphaned by a crash of its parent.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { backoffDelay, type BackoffOptions } from '../../core/reconcile/backoff.js';

export interface SupervisedProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment of the child (nothing is inherited implicitly). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Append-only log of stdout and stderr, with one header line per start. */
  readonly logFile: string;
  /** Holds the pid of the running child. */
  readonly pidFile: string;
  readonly backoff?: BackoffOptions;
  /** A run lasting at least this long resets the failure count. Default 10 s. */
  readonly stableAfterMs?: number;
  /**
   * The pod's restartPolicy: Always (default) restarts every exit; OnFailure only a non-zero exit;
   * Never none. A run that is not restarted leaves the process 'terminated' (see lastExit).
   */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}

export type ProcessState = 'running' | 'backoff' | 'terminated' | 'stopped';

export interface ProcessSnapshot {
  readonly state: ProcessState;
  readonly pid: number | undefined;
  readonly restartCount: number;
  /** ms since the epoch of the current run's start. */
  readonly startedAt: number | undefined;
  readonly lastExit: { readonly code: number | null; readonly signal: string | null; readonly at: number } | undefined;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000 };

export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private failures = 0;
  private restarts = 0;
  private startedAt: number | undefined;
  private lastExit: ProcessSnapshot['lastExit'];
  private exited: Promise<void> = Promise.resolve();
  private terminated = false;

  /** `onChange` is called after every start, exit and stop. */
  constructor(private readonly spec: SupervisedProcessSpec, private readonly onChange: (s: ProcessSnapshot) => void = () => {}) {}

  snapshot(): ProcessSnapshot {
    return {
      state: this.child ? 'running' : this.timer ? 'backoff' : this.terminated ? 'terminated' : 'stopped',
      pid: this.child?.pid,
      restartCount: this.restarts,
      startedAt: this.startedAt,
      lastExit: this.lastExit,
    };
  }

  start(): void {
    this.stopping = false;
    reapOrphan(this.spec.pidFile);
    this.launch();
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. No restart follows. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const child = this.child;
    if (!child) return;
    if (graceMs <= 0) {
      child.kill('SIGKILL');
    } else {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(t);
    }
    await this.exited;
  }

  private launch(): void {
    mkdirSync(dirname(this.spec.logFile), { recursive: true });
    const fd = openSync(this.spec.logFile, 'a', 0o600);
    writeSync(fd, `--- ${new Date().toISOString()} start #${this.restarts} ${this.spec.args[0] ?? ''}\n`);
    let child: ChildProcess;
    try {
      // FLUID_PARENT_PID: the child exits (gracefully) if this supervisor dies, so a crashed control
      // plane never leaves engine processes or FUSE mounts behind (see apps/cli/entry.ts).
      child = spawn(this.spec.command, [...this.spec.args], {
        cwd: this.spec.cwd, env: { ...this.spec.env, FLUID_PARENT_PID: String(process.pid) }, stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    this.child = child;
    this.startedAt = Date.now();
    if (child.pid !== undefined) writeFileSync(this.spec.pidFile, `${child.pid}\n`, { mode: 0o600 });
    this.exited = new Promise<void>((resolve) => {
      child.once('error', () => { /* reported by 'exit'/'close' below */ });
      child.once('close', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
    });
    this.onChange(this.snapshot());
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    const ranMs = now - (this.startedAt ?? now);
    this.child = undefined;
    this.lastExit = { code, signal, at: now };
    rmSync(this.spec.pidFile, { force: true });
    try {
      const fd = openSync(this.spec.logFile, 'a', 0o600);
      writeSync(fd, `--- ${new Date(now).toISOString()} exited code=${code ?? ''} signal=${signal ?? ''}\n`);
      closeSync(fd);
    } catch {
      // The log directory may be gone while the pod is being torn down.
    }
    if (this.stopping) {
      this.onChange(this.snapshot());
      return;
    }
    const policy = this.spec.restartPolicy ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && code === 0)) {
      this.terminated = true;
      this.onChange(this.snapshot());
      return;
    }
    this.failures = ranMs >= (this.spec.stableAfterMs ?? 10_000) ? 1 : this.failures + 1;
    const delay = backoffDelay(this.failures, this.spec.backoff ?? DEFAULT_BACKOFF);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping) return;
      this.restarts++;
      this.launch();
    }, delay);
    this.onChange(this.snapshot());
  }
}

/** Kills a process left behind by a previous supervisor (its pid file survived). */
function reapOrphan(pidFile: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 1) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      // Only reap our own engine processes, never an unrelated process that reused the pid.
      if (cmdline.includes('engine')) process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(pidFile, { force: true });
}

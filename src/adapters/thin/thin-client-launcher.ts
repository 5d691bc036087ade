// Supervises one ThinRuntime FUSE client on this node (embedded mode: the profile's command
// runs locally, the image is not pulled).
//
// Loop (one client at a time):
//   prepare: shared parent bind mount, stale/dead mount at targetPath detached
//   spawn:   unshare ... (see mount-namespace.ts), own process group, output tail kept in memory
//   watch:   every pollMs probe targetPath from the host namespace
//            - mounted with the profile fsType        => Ready
//            - not mounted after mountTimeoutMs       => MountTimeout, client killed, restart
//            - dead (ENOTCONN) / gone while running   => DeadMount, detach, kill, restart
//   exit:    ClientExited with the last stderr lines (secrets masked), restart after backoff
//   stop():  no more restarts; SIGTERM the group (SIGKILL after graceMs); detach targetPath;
//            remove the parent bind mount if this launcher made it.
// Every status change is reported through `onStatus`; messages never carry secret values.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { lastLines, maskSecrets } from '../../core/thin/mask-secrets.js';
import { RestartBackoff, DEFAULT_BACKOFF, type BackoffOptions } from '../../core/thin/restart-backoff.js';
import type { ThinClientPlan } from '../../core/thin/client-plan.js';
import { clientFilesLayout } from './client-files.js';
import { namespacedArgv, ensureSharedParent, releaseSharedParent } from './mount-namespace.js';
import { detachAll, probeTarget } from './mount-probe.js';

export type ThinClientReason = 'Starting' | 'Mounted' | 'ClientExited' | 'MountTimeout' | 'DeadMount' | 'SetupFailed' | 'Stopped';

export interface ThinClientStatus {
  readonly ready: boolean;
  readonly reason: ThinClientReason;
  /** Human-readable, secrets masked. */
  readonly message: string;
  /** Times the client was started again after the first start. */
  readonly restarts: number;
  /** Tail of the client's stderr/stdout from its last run, secrets masked. */
  readonly lastOutput: readonly string[];
  readonly pid: number | undefined;
  readonly fsType: string | undefined;
}

export interface ThinClientLauncherOptions {
  readonly plan: ThinClientPlan;
  /** Directory laid out by writeClientFiles. */
  readonly filesDir: string;
  /** Host paths of the secret files, read only to mask their values in output. */
  readonly secretFiles?: readonly string[];
  readonly mountTimeoutMs?: number;
  readonly pollMs?: number;
  readonly graceMs?: number;
  readonly backoff?: BackoffOptions;
  /** Lines of output quoted in conditions. */
  readonly tailLines?: number;
  /** Base environment (PATH etc.) under plan.env; defaults to a minimal PATH/HOME. */
  readonly baseEnv?: Record<string, string>;
  readonly onStatus?: (s: ThinClientStatus) => void;
  /** Receives the client's output (masked), e.g. to append to a log file. */
  readonly onOutput?: (chunk: string) => void;
}

const OUTPUT_KEEP = 16 * 1024;

export class ThinClientLauncher {
  private readonly o: Required<Omit<ThinClientLauncherOptions, 'onStatus' | 'onOutput' | 'secretFiles' | 'baseEnv'>> & ThinClientLauncherOptions;
  private readonly backoff: RestartBackoff;
  private child: ChildProcess | undefined;
  private childExited: Promise<void> = Promise.resolve();
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private madeParent = false;
  private starts = 0;
  private output = '';
  private secrets: string[] = [];
  private status: ThinClientStatus;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(opts: ThinClientLauncherOptions) {
    this.o = { mountTimeoutMs: 60_000, pollMs: 200, graceMs: 5_000, backoff: DEFAULT_BACKOFF, tailLines: 10, ...opts };
    this.backoff = new RestartBackoff(this.o.backoff);
    this.status = { ready: false, reason: 'Starting', message: 'starting the FUSE client', restarts: 0, lastOutput: [], pid: undefined, fsType: undefined };
  }

  current(): ThinClientStatus {
    return this.status;
  }

  /** Starts supervising; returns at once. */
  start(): void {
    this.loopDone = this.loop();
  }

  /** Stops the client, unmounts targetPath and removes the parent bind mount. Idempotent. */
  async stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wake?.();
      await this.killClient();
      await this.loopDone;
      await detachAll(this.o.plan.targetPath);
      if (this.madeParent) await releaseSharedParent(this.o.plan.targetPath);
      this.report({ ready: false, reason: 'Stopped', message: 'the FUSE client was stopped and the target unmounted', pid: undefined, fsType: undefined });
    })();
    return this.stopped;
  }

  private report(patch: Partial<ThinClientStatus>): void {
    const next = { ...this.status, ...patch, restarts: Math.max(0, this.starts - 1) };
    const changed = next.reason !== this.status.reason || next.ready !== this.status.ready || next.message !== this.status.message || next.pid !== this.status.pid;
    this.status = next;
    if (changed) this.o.onStatus?.(next);
  }

  private mask(text: string): string {
    return maskSecrets(text, this.secrets);
  }

  private loadSecrets(): void {
    this.secrets = [];
    for (const f of this.o.secretFiles ?? []) {
      try {
        this.secrets.push(readFileSync(f, 'utf8'));
      } catch {
        // A missing secret file makes the client fail visibly; nothing to mask.
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
    if (this.timer) clearTimeout(this.timer);
    this.wake = undefined;
  }

  private async loop(): Promise<void> {
    const { plan } = this.o;
    while (!this.stopping) {
      try {
        // Detach first: a fresh bind mount of the parent would hide (not remove) a dead mount.
        const before = await probeTarget(plan.targetPath, plan.fileSystemType).catch(() => undefined);
        if (before?.kind === 'dead') {
          this.report({ ready: false, reason: 'DeadMount', message: `found a dead ${before.entry.fsType} mount at ${plan.targetPath} (${before.code}: transport endpoint is not connected); detached it, remounting` });
        }
        await detachAll(plan.targetPath);
        this.madeParent = (await ensureSharedParent(plan.targetPath)) || this.madeParent;
        mkdirSync(plan.targetPath, { recursive: true });
      } catch (err) {
        this.report({ ready: false, reason: 'SetupFailed', message: this.mask(err instanceof Error ? err.message : String(err)) });
        await this.sleep(this.backoff.onExit(Date.now(), Date.now()));
        continue;
      }
      if (this.stopping) break;
      this.loadSecrets();
      const startedAt = Date.now();
      const outcome = await this.runOnce();
      if (this.stopping) break;
      await this.killClient();
      await detachAll(plan.targetPath);
      const delay = this.backoff.onExit(startedAt, Date.now());
      const tail = lastLines(this.mask(this.output), this.o.tailLines);
      this.report({ ready: false, reason: outcome.reason, message: `${outcome.message}; restarting in ${delay} ms`, lastOutput: tail, pid: undefined, fsType: undefined });
      await this.sleep(delay);
    }
  }

  /** Runs the client until it exits, times out mounting, or leaves a dead mount. */
  private async runOnce(): Promise<{ reason: ThinClientReason; message: string }> {
    const { plan } = this.o;
    const layout = clientFilesLayout(this.o.filesDir);
    const argv = namespacedArgv(layout.configFile, layout.secretsDir, plan.argv);
    this.output = '';
    this.starts++;
    const env = { ...(this.o.baseEnv ?? { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root' }), ...plan.env };
    const child = spawn(argv[0] ?? 'unshare', argv.slice(1), { cwd: layout.workDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    let exit: { code: number | null; signal: string | null } | undefined;
    this.childExited = new Promise<void>((resolve) => {
      child.on('error', (err) => { this.output += `failed to start: ${err.message}\n`; exit ??= { code: -1, signal: null }; resolve(); });
      child.on('exit', (code, signal) => { exit = { code, signal }; resolve(); });
    });
    // Output is forwarded a whole line at a time, so a secret split across reads is still masked.
    let partial = '';
    const onData = (d: Buffer): void => {
      const s = d.toString();
      this.output = (this.output + s).slice(-OUTPUT_KEEP);
      const text = partial + s;
      const cut = text.lastIndexOf('\n') + 1;
      partial = text.slice(cut).slice(-OUTPUT_KEEP);
      if (cut > 0) this.o.onOutput?.(this.mask(text.slice(0, cut)));
    };
    child.on('close', () => { if (partial !== '') this.o.onOutput?.(`${this.mask(partial)}\n`); partial = ''; });
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.report({ ready: false, reason: 'Starting', message: `started ${plan.argv[0] ?? ''} (pid ${child.pid ?? '?'}); waiting for a ${plan.fileSystemType} mount at ${plan.targetPath}`, pid: child.pid, lastOutput: [] });

    const startedAt = Date.now();
    let wasReady = false;
    while (!this.stopping) {
      if (exit) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
        return { reason: 'ClientExited', message: `the FUSE client ${how}` };
      }
      let state;
      try {
        state = await probeTarget(plan.targetPath, plan.fileSystemType);
      } catch (err) {
        state = undefined;
        this.output += `probe failed: ${err instanceof Error ? err.message : String(err)}\n`;
      }
      if (state?.kind === 'mounted') {
        if (!wasReady) {
          wasReady = true;
          this.report({ ready: true, reason: 'Mounted', message: `${plan.targetPath} is mounted (${state.entry.fsType})`, fsType: state.entry.fsType });
        }
      } else if (state?.kind === 'dead') {
        return { reason: 'DeadMount', message: `dead mount at ${plan.targetPath} (${state.code}: transport endpoint is not connected); cleaned up` };
      } else if (wasReady) {
        return { reason: 'DeadMount', message: `the mount at ${plan.targetPath} disappeared while the client was running` };
      } else if (Date.now() - startedAt > this.o.mountTimeoutMs) {
        const what = state?.kind === 'other' ? `found ${state.entry.fsType} instead of ${plan.fileSystemType}` : `no ${plan.fileSystemType} mount appeared`;
        return { reason: 'MountTimeout', message: `timed out after ${this.o.mountTimeoutMs} ms waiting for ${plan.targetPath}: ${what}` };
      }
      await Promise.race([this.sleep(this.o.pollMs), this.childExited]);
      if (this.timer) clearTimeout(this.timer);
    }
    return { reason: 'Stopped', message: 'stopped' };
  }

  /** SIGTERM the client's process group, SIGKILL after graceMs. */
  private async killClient(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const pid = child.pid;
    const signal = (sig: NodeJS.Signals): void => {
      try { process.kill(-pid, sig); } catch { /* group already gone */ }
    };
    signal('SIGTERM');
    const killed = await Promise.race([
      this.childExited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), this.o.graceMs)),
    ]);
    if (!killed) {
      signal('SIGKILL');
      await this.childExited;
    }
  }
}

// One JuiceFSRuntime pod's process (`fluid engine juicefs --config FILE`): prepares the JuiceFS file
// system (Fluid's format step: `juicefs format` only when `juicefs status` says it does not exist),
// then runs `juicefs mount` in the foreground (JFS_FOREGROUND=1) as its child and stays alive for as
// long as it serves the mount. Any failure becomes a not-ready state with a CamelCase reason and a
// message that names the cause (never a secret value); the process retries with backoff instead of
// exiting, so a bad Secret, an unreachable metadata engine or wrong credentials never crash-loop.
// stop() unmounts and leaves no juicefs process behind. Secrets: read from their 0600 files and
// handed to juicefs through its environment (META_PASSWORD, ACCESS_KEY, SECRET_KEY) only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { Socket } from 'node:net';
import type { JuiceFSConfig, JuiceFSProcessStatus, JuiceFSStats } from '../../../api/juicefs-config.js';
import type { Logger } from '../../../adapters/apiserver/logger.js';
import { juicefsBinary } from '../../../adapters/juicefs/juicefs-binary.js';
import { runCommand } from '../../../adapters/juicefs/juicefs-command.js';
import { mountedType } from '../../../adapters/juicefs/mount-table.js';
import { freeLoopbackPort } from '../../../adapters/process/free-port.js';
import { classifyJuiceFSFailure } from '../../../core/juicefs/failure.js';
import { formatArgs, infoArgs, mountArgs, parseInfo, statusArgs, statusVolumeName } from '../../../core/juicefs/juicefs-args.js';
import { MetaUrlError, parseMetaUrl, type MetaUrl } from '../../../core/juicefs/meta-url.js';
import { sumSamples } from '../../../core/juicefs/prometheus-text.js';
import { lastLines, maskSecrets } from '../../../core/thin/mask-secrets.js';

/** A step failed; `reason` is the condition reason, `message` is safe to show. */
class StepError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

const MOUNT_TIMEOUT_MS = 60_000;
const RETRY_MS = [2_000, 5_000, 10_000, 20_000, 30_000];

export class JuiceFSProcess {
  private status: JuiceFSProcessStatus = { ready: false, reason: 'Starting', message: 'preparing the JuiceFS file system' };
  private child: ChildProcess | undefined;
  private stopping = false;
  private secrets: string[] = [];
  private metricsPort = 0;
  private bin = '';
  private childEnv: Record<string, string> = {};
  private tail = '';
  private statsCache: { at: number; value: Promise<JuiceFSStats> } | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly cfg: JuiceFSConfig, private readonly log: Logger) {}

  current(): JuiceFSProcessStatus { return this.status; }

  start(): void {
    this.loop = this.run();
  }

  private set(ready: boolean, reason: string, message: string): void {
    const changed = this.status.reason !== reason || this.status.message !== message;
    this.status = { ready, reason, message: this.mask(message) };
    if (changed) (ready ? this.log.info : this.log.warn).call(this.log, ready ? 'mounted' : 'not ready', { reason, message: this.status.message });
  }

  private mask(text: string): string {
    return maskSecrets(text, this.secrets);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      try {
        await this.prepare();
        await this.mount();
        attempt = 0;
        const code = await this.exited();
        if (this.stopping) return;
        const why = classifyJuiceFSFailure(this.mask(this.tail));
        this.set(false, why.reason === 'JuiceFSFailed' ? 'MountExited' : why.reason, `juicefs mount exited (${code}): ${why.detail}`);
      } catch (err) {
        if (this.stopping) return;
        if (err instanceof StepError) this.set(false, err.reason, err.message);
        else this.set(false, 'JuiceFSFailed', err instanceof Error ? err.message : String(err));
      }
      const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 30_000;
      attempt++;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => { clearTimeout(t); resolve(); };
      });
      this.wake = undefined;
    }
  }

  /** Secrets, meta URL, client binary, reachability, then format when the volume does not exist. */
  private async prepare(): Promise<void> {
    const cfg = this.cfg;
    const metaRaw = readSecret(cfg.metaUrlFile, cfg.metaUrlRef);
    const ak = cfg.accessKeyFile !== undefined ? readSecret(cfg.accessKeyFile, 'the access-key encryptOption') : undefined;
    const sk = cfg.secretKeyFile !== undefined ? readSecret(cfg.secretKeyFile, 'the secret-key encryptOption') : undefined;
    let meta: MetaUrl;
    try {
      meta = parseMetaUrl(metaRaw);
    } catch (err) {
      if (err instanceof MetaUrlError) throw new StepError('InvalidMetaUrl', `the meta URL from ${cfg.metaUrlRef}: ${err.message}`);
      throw err;
    }
    this.secrets = [metaRaw, meta.withoutPassword, ...(meta.password !== undefined ? [meta.password, encodeURIComponent(meta.password)] : []), ...(ak !== undefined ? [ak] : []), ...(sk !== undefined ? [sk] : [])];
    this.childEnv = {
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      JFS_FOREGROUND: '1',
      // juicefs rewrites its process title (and truncates it): this names the mount it serves.
      FLUID_JUICEFS_MOUNT: this.cfg.mountPath,
      ...(meta.password !== undefined ? { META_PASSWORD: meta.password } : {}),
      ...(ak !== undefined ? { ACCESS_KEY: ak } : {}),
      ...(sk !== undefined ? { SECRET_KEY: sk } : {}),
    };
    if (meta.address) {
      const err = await tcpProbe(meta.address.host, meta.address.port, 3_000);
      if (err) throw new StepError('MetadataUnreachable', `cannot reach the metadata engine named by ${cfg.metaUrlRef}: ${err}`);
    }
    try {
      this.bin = await juicefsBinary();
    } catch (err) {
      throw new StepError('JuiceFSClientMissing', err instanceof Error ? err.message : String(err));
    }
    const status = await runCommand(this.bin, statusArgs(meta.withoutPassword), this.childEnv, 30_000);
    if (status.code === 0) {
      const name = statusVolumeName(status.stdout);
      if (name !== undefined && name !== cfg.name) {
        throw new StepError('FileSystemNameMismatch', `the metadata engine named by ${cfg.metaUrlRef} holds the JuiceFS file system "${name}", not "${cfg.name}" (dataset spec.mounts[0].name); it is not reformatted`);
      }
      this.log.info('file system exists, not formatting', { name: cfg.name });
    } else {
      const why = classifyJuiceFSFailure(this.mask(`${status.stderr}\n${status.stdout}`));
      if (status.timedOut) throw new StepError('MetadataUnreachable', `juicefs status did not answer within 30 s (metadata engine named by ${cfg.metaUrlRef})`);
      if (why.reason !== 'NotFormatted') throw new StepError(why.reason, `checking the file system failed: ${why.detail}`);
      if (cfg.bucket === undefined || cfg.bucket === '') {
        throw new StepError('BucketRequired', `the JuiceFS file system "${cfg.name}" does not exist yet and dataset spec.mounts[0].options.bucket is not set: name the object storage bucket (and options.storage) to format it`);
      }
      if (!cfg.formats) {
        throw new StepError('WaitingForFormat', `the JuiceFS file system "${cfg.name}" does not exist yet; waiting for the runtime's formatting pod (worker 0, or the FUSE without workers) to format it`);
      }
      const fmt = await runCommand(this.bin, formatArgs(cfg, meta.withoutPassword), this.childEnv, 120_000);
      if (fmt.code !== 0) {
        const f = classifyJuiceFSFailure(this.mask(`${fmt.stderr}\n${fmt.stdout}`));
        throw new StepError(f.reason, `juicefs format of "${cfg.name}" failed: ${f.detail}`);
      }
      this.log.info('formatted the file system', { name: cfg.name, storage: cfg.storage ?? 'file' });
    }
    this.metaArg = meta.withoutPassword;
  }

  private metaArg = '';

  private async mount(): Promise<void> {
    const cfg = this.cfg;
    mkdirSync(cfg.mountPath, { recursive: true });
    // A dead mount left by a killed predecessor would make the new mount fail.
    spawnSync('fusermount3', ['-u', '-z', cfg.mountPath], { stdio: 'ignore' });
    this.metricsPort = await freeLoopbackPort();
    const args = mountArgs(cfg, this.metaArg, `127.0.0.1:${this.metricsPort}`);
    this.tail = '';
    const child = spawn(this.bin, args, { env: this.childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const onData = (d: Buffer): void => {
      const text = this.mask(d.toString());
      this.tail = lastLines(`${this.tail}\n${text}`, 30).join('\n');
      process.stderr.write(text);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const deadline = Date.now() + MOUNT_TIMEOUT_MS;
    while (mountedType(cfg.mountPath) !== 'fuse.juicefs') {
      if (child.exitCode !== null || child.signalCode !== null) {
        const why = classifyJuiceFSFailure(this.tail);
        throw new StepError(why.reason === 'JuiceFSFailed' ? 'MountFailed' : why.reason, `juicefs mount exited (${child.exitCode ?? child.signalCode ?? '?'}): ${why.detail}`);
      }
      if (Date.now() > deadline || this.stopping) {
        await this.stopChild();
        throw new StepError('MountTimeout', `juicefs mount did not mount ${cfg.mountPath} within ${MOUNT_TIMEOUT_MS / 1000} s: ${classifyJuiceFSFailure(this.tail).detail}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    this.set(true, 'Mounted', `JuiceFS "${cfg.name}"${cfg.subdir === '/' ? '' : ` (subdir ${cfg.subdir})`} mounted at ${cfg.mountPath}${cfg.readOnly ? ' read-only' : ''}`);
  }

  private exited(): Promise<number | string> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.exitCode ?? child?.signalCode ?? -1);
    return new Promise((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      // juicefs mount unmounts on SIGTERM; its supervised mount child is in the same process group.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const gone = await Promise.race([this.exited().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!gone) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        await this.exited();
      }
    }
    if (child?.pid !== undefined) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the whole group is gone */ }
    }
    this.child = undefined;
    spawnSync('fusermount3', ['-u', '-z', this.cfg.mountPath], { stdio: 'ignore' });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.stopChild();
    await this.loop;
    try { rmdirSync(this.cfg.mountPath); } catch { /* not empty or gone: never removed recursively */ }
  }

  /** The client's Prometheus metrics, as JuiceFS serves them ("" before the mount is up). */
  async metrics(): Promise<string> {
    if (!this.status.ready || this.metricsPort === 0) return '';
    try {
      const res = await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`, { signal: AbortSignal.timeout(3_000) });
      return res.ok ? await res.text() : '';
    } catch {
      return '';
    }
  }

  /** Used bytes and files of the subdir (`juicefs info` on the mount) and the block cache counters. */
  stats(): Promise<JuiceFSStats> {
    const now = Date.now();
    if (this.statsCache && now - this.statsCache.at < 2_000) return this.statsCache.value;
    const value = this.computeStats();
    this.statsCache = { at: now, value };
    return value;
  }

  private async computeStats(): Promise<JuiceFSStats> {
    const ready = this.status.ready;
    let usedBytes = 0;
    let fileCount = 0;
    if (ready) {
      const r = await runCommand(this.bin, infoArgs(this.cfg.mountPath), this.childEnv, 20_000);
      const info = r.code === 0 ? parseInfo(r.stdout) : undefined;
      if (info) { usedBytes = info.lengthBytes; fileCount = info.files; }
    }
    const m = sumSamples(await this.metrics());
    const g = (k: string): number => m.get(k) ?? 0;
    return {
      ready, usedBytes, fileCount,
      cacheBytes: g('juicefs_blockcache_bytes'), cacheHits: g('juicefs_blockcache_hits'), cacheMisses: g('juicefs_blockcache_miss'),
      cacheHitBytes: g('juicefs_blockcache_hit_bytes'), cacheMissBytes: g('juicefs_blockcache_miss_bytes'),
    };
  }
}

function readSecret(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new StepError('SecretNotFound', `cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'}): the Secret or its key is missing`);
  }
}

/** undefined when a TCP connection opens within `ms`, else the error code (no address: it is secret). */
function tcpProbe(host: string, port: number, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (v: string | undefined): void => { s.destroy(); resolve(v); };
    s.setTimeout(ms, () => done(`no answer within ${ms / 1000} s`));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'connection failed'));
    s.connect(port, host, () => done(undefined));
  });
}

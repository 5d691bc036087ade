// Real JuiceFS pieces for tests and benchmarks: the client built by `scripts/go-tool.sh juicefs`, a
// redis-server (on loopback, or a given address such as a kube-cluster's host-address; random port, no persistence) as the metadata engine, and a direct
// `juicefs mount` (foreground, own process group) over a local-directory bucket. Everything started
// here is stopped by the cleanup it registers.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type Cleanup, freePort, isMountpoint, repoRoot, unmountQuietly, waitFor } from './proc.js';

let bin: string | undefined;

/** Path of the juicefs client (built from Go modules once per machine). */
export function juicefsBin(): string {
  if (bin) return bin;
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'go-tool.sh'), 'juicefs'], { encoding: 'utf8', timeout: 3_600_000 });
  if (r.status !== 0) throw new Error(`scripts/go-tool.sh juicefs failed: ${r.stderr}`);
  bin = r.stdout.trim();
  return bin;
}

export interface Redis {
  readonly host: string;
  readonly port: number;
  /** redis://[:password@]host:port/db */
  url(db: number, password?: string): string;
}

/**
 * redis-server on `host` (default 127.0.0.1) at a free port; `password` turns on requirepass. On a
 * kube-cluster's host-address the node hosts (network namespaces on the bridge) reach it.
 */
export async function startRedis(t: Cleanup, password?: string, host = '127.0.0.1'): Promise<Redis> {
  const port = await freePort();
  // protected-mode only refuses non-loopback clients when no password is set.
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', ...(password ? ['--requirepass', password] : [])];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
  await waitFor(`redis-server on port ${port}`, () => spawnSync('redis-cli', ['-h', host, '-p', String(port), ...(password ? ['-a', password, '--no-auth-warning'] : []), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 20_000, 100);
  return { host, port, url: (db, pw) => `redis://${pw ? `:${encodeURIComponent(pw)}@` : ''}${host}:${port}/${db}` };
}

/** `juicefs format` with a local-directory bucket (or `storage` s3); env carries META_PASSWORD, ACCESS_KEY, SECRET_KEY when needed. */
export function formatJuiceFS(metaUrl: string, name: string, bucket: string, env: NodeJS.ProcessEnv = {}, storage = 'file'): void {
  const r = spawnSync(juicefsBin(), ['format', '--storage', storage, '--bucket', bucket, '--trash-days', '0', metaUrl, name], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`juicefs format failed: ${r.stderr}`);
}

export interface JuiceFSMount {
  readonly mountPath: string;
  readonly metricsPort: number;
  /** SIGTERM (juicefs unmounts), then waits for the process group to be gone. */
  stop(): Promise<void>;
}

/** `juicefs mount` in the foreground with a local cache dir; resolves once mounted. */
export async function mountJuiceFS(t: Cleanup, metaUrl: string, mountPath: string, cacheDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<JuiceFSMount> {
  mkdirSync(mountPath, { recursive: true });
  const metricsPort = await freePort();
  const child = spawn(juicefsBin(), ['mount', '--cache-dir', cacheDir, '--metrics', `127.0.0.1:${metricsPort}`, '--no-usage-report', ...extra, metaUrl, mountPath], {
    stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, JFS_FOREGROUND: '1', ...env },
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const timer = setTimeout(() => { try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (isMountpoint(mountPath)) unmountQuietly(mountPath);
  };
  t.after(stop);
  await waitFor(`juicefs mount at ${mountPath}`, () => {
    if (child.exitCode !== null) throw new Error(`juicefs mount exited: ${err}`);
    return isMountpoint(mountPath);
  }, 60_000, 100);
  return { mountPath, metricsPort, stop };
}

/**
 * A JuiceFS file system holding a copy of `srcDir` (SQLite metadata and a local-directory bucket
 * under `base`), mounted at `<base>/mnt` with its cache in `<base>/cache-<n>`. remount() unmounts and
 * mounts again with a fresh, empty cache dir: the next read is cold (served by the bucket).
 * For benchmarks (bench/juicefs-peer.ts) that put JuiceFS next to other readers of the same bytes.
 */
export async function juicefsOverDir(t: Cleanup, srcDir: string, base: string, name = 'bench'): Promise<{ mountPath: string; remount(): Promise<JuiceFSMount>; stop(): Promise<void> }> {
  mkdirSync(base, { recursive: true });
  const meta = `sqlite3://${join(base, 'meta.db')}`;
  formatJuiceFS(meta, name, `${join(base, 'bucket')}/`);
  let n = 0;
  let cur = await mountJuiceFS(t, meta, join(base, 'mnt'), join(base, `cache-${n}`));
  cpSync(srcDir, join(cur.mountPath, 'data'), { recursive: true });
  const remount = async (): Promise<JuiceFSMount> => {
    await cur.stop();
    n++;
    cur = await mountJuiceFS(t, meta, join(base, 'mnt'), join(base, `cache-${n}`));
    return cur;
  };
  return { mountPath: join(base, 'mnt'), remount, stop: () => cur.stop() };
}

/** Mount paths served by live juicefs processes under `home` (their FLUID_JUICEFS_MOUNT env; juicefs rewrites its title). */
export function juicefsProcs(home: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readlinkSync(`/proc/${pid}/exe`).endsWith('/juicefs')) continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const mnt = env.find((e) => e.startsWith('FLUID_JUICEFS_MOUNT='))?.slice('FLUID_JUICEFS_MOUNT='.length);
      if (mnt?.startsWith(`${home}/`)) out.push(`${pid} ${mnt} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

export function mountsUnder(home: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(`${home}/`));
}

/** Sum of a Prometheus metric's samples in `text`. */
export function metric(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((a, l) => a + Number(l.trim().split(/\s+/).pop()), 0);
}

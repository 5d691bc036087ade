// Real storage servers on loopback for integration tests: nginx (WebUFS) and s3rver (S3/OSS).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cleanup, freePort, start, tempDir, waitFor, type Proc } from './proc.js';

export interface Nginx {
  readonly port: number;
  /** Base URL of the served root, with a trailing slash. */
  readonly url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()). */
  restart(): Promise<void>;
  /**
   * With `accessLog`: bytes nginx sent ($bytes_sent, headers included) for requests whose URI
   * path passes `match`, summed from its access log; undefined without one.
   */
  bytesSent?(match: (path: string) => boolean): number;
}

/**
 * Serves `root` with autoindex on 127.0.0.1. `limitRate` (e.g. "20m") caps each connection,
 * as nginx's limit_rate does.
 */
/** `opts.host`: the address to listen on (default 127.0.0.1), e.g. a kube-cluster's host-address. */
export async function startNginx(t: Cleanup, root: string, opts: { limitRate?: string; accessLog?: boolean; host?: string } = {}): Promise<Nginx> {
  const host = opts.host ?? '127.0.0.1';
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (!nginx) throw new Error('nginx is not installed: run scripts/install-deps.sh (Debian package nginx-light)');
  const dir = tempDir(t, 'fluid-nginx-');
  const port = await freePort();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  log_format bytes '$bytes_sent $uri';
  access_log ${opts.accessLog ? `${dir}/logs/access.log bytes` : 'off'};
  sendfile on;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; application/octet-stream bin gz; }
  default_type application/octet-stream;
  server {
    listen ${host}:${port};
    root ${root};
    autoindex on;
    ${opts.limitRate ? `limit_rate ${opts.limitRate};` : ''}
  }
}
`);
  let proc: Proc | undefined;
  const launch = async (): Promise<void> => {
    const p = start(t, nginx, ['-c', conf, '-p', dir], { stopSignal: 'SIGTERM' });
    proc = p;
    await waitFor(`nginx on port ${port}`, async () => {
      if (p.child.exitCode !== null) throw new Error(`nginx exited: ${p.output()} ${readLogs(dir)}`);
      return (await fetch(`http://${host}:${port}/`)).ok;
    }, 60_000, 200);
  };
  await launch();
  return {
    port,
    url: `http://${host}:${port}/`,
    async stop() { await proc?.kill('SIGTERM'); },
    async restart() { await launch(); },
    ...(opts.accessLog ? {
      bytesSent(match: (path: string) => boolean): number {
        let sum = 0;
        const log = existsSync(join(dir, 'logs', 'access.log')) ? readFileSync(join(dir, 'logs', 'access.log'), 'utf8') : '';
        for (const line of log.split('\n')) {
          const sp = line.indexOf(' ');
          if (sp > 0 && match(line.slice(sp + 1))) sum += Number(line.slice(0, sp));
        }
        return sum;
      },
    } : {}),
  };
}

function readLogs(dir: string): string {
  try { return readFileSync(join(dir, 'logs', 'error.log'), 'utf8'); } catch { return ''; }
}

export interface S3Server {
  readonly port: number;
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  stop(): Promise<void>;
}

const s3rverMain = fileURLToPath(new URL('./s3rver-main.js', import.meta.url));

/**
 * Starts a real S3 server (the s3rver package) in a child process, so a test that blocks its
 * own event loop on a FUSE read cannot deadlock it. Buckets are created empty; use putObject.
 * `opts.host`: the address to listen on (default 127.0.0.1), e.g. a kube-cluster's host-address.
 */
export async function startS3(t: Cleanup, buckets: string[], opts: { host?: string } = {}): Promise<S3Server> {
  const dir = tempDir(t, 'fluid-s3-');
  const port = await freePort();
  const host = opts.host ?? '127.0.0.1';
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only
  // provides through the legacy provider; without it every truncated listing is a 500.
  const proc = start(t, process.execPath, ['--openssl-legacy-provider', s3rverMain, String(port), dir, ...buckets], { env: { ...process.env, S3RVER_ADDRESS: host } });
  await waitFor(`s3rver on port ${port}`, () => proc.output().includes('S3RVER_READY'), 60_000);
  return {
    port,
    endpoint: `http://${host}:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async stop() { await proc.kill('SIGTERM'); },
  };
}

/**
 * Writes each secret to its own 0600 file in `dir`, as the orchestrator does for encryptOptions;
 * returns name -> path (a mount's encryptOptionFiles).
 */
export function writeSecretFiles(dir: string, secrets: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets)) {
    const p = join(dir, name);
    writeFileSync(p, `${value}\n`, { mode: 0o600 });
    if ((statSync(p).mode & 0o777) !== 0o600) throw new Error(`${p} is not 0600`);
    out[name] = p;
  }
  return out;
}

/** Writes a file of `size` deterministic pseudo-random bytes (seeded), for sha256 checks. */
export function writeRandomFile(path: string, size: number, seed = 1): void {
  const buf = Buffer.allocUnsafe(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf.writeUInt32LE(x, i);
  }
  for (let i = size - (size % 4); i < size; i++) buf[i] = i & 0xff;
  writeFileSync(path, buf);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// The control plane's home directory and the files in it. Precedence: --home, then
// FLUID_HOME, then ~/.fluid.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HomePaths {
  readonly home: string;
  readonly db: string;
  readonly token: string;
  readonly kubeconfig: string;
  /** {pid, port, startedAt, mode}: written once the server listens, removed on clean exit. */
  readonly stateFile: string;
  /** Serving certificate and key (apiserver.crt, apiserver.key 0600). */
  readonly tlsDir: string;
  readonly logDir: string;
  /** JSON-lines log, rotated by size (log.1 .. log.3). */
  readonly log: string;
  /** stdout/stderr of the background process that `fluid up` starts (crash traces, Node warnings). */
  readonly stdioLog: string;
}

/**
 * /dev/shm root of the MEM cache tiers of one home's runtimes ("/dev/shm/fluid-<8 hex>"): two
 * homes never share cache dirs. RAM held there is freed when the home's node agent stops.
 */
export function shmRootOf(home: string): string {
  return `/dev/shm/fluid-${createHash('sha256').update(home).digest('hex').slice(0, 8)}`;
}

export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  if (env.FLUID_HOME) return resolve(env.FLUID_HOME);
  return join(homedir(), '.fluid');
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    db: join(home, 'apiserver.db'),
    token: join(home, 'token'),
    kubeconfig: join(home, 'kubeconfig'),
    stateFile: join(home, 'controlplane.json'),
    tlsDir: join(home, 'tls'),
    logDir: join(home, 'logs'),
    log: join(home, 'logs', 'controlplane.log'),
    stdioLog: join(home, 'logs', 'controlplane.stdio.log'),
  };
}

export interface ControlPlaneState {
  readonly pid: number;
  readonly port: number;
  readonly startedAt: string;
  readonly mode: 'controlplane' | 'apiserver';
}

/**
 * Creates HOME and HOME/logs as 0700, and makes an existing HOME 0700 too: everything under it
 * (database, token, kubeconfig, TLS key, pod secrets) is private to the owner whatever the
 * permissions the directory had before.
 */
export function ensurePrivateHome(paths: HomePaths): void {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  chmodSync(paths.home, 0o700);
  mkdirSync(paths.logDir, { recursive: true, mode: 0o700 });
  chmodSync(paths.logDir, 0o700);
}

/** Creates `path` (if missing) as an owner-only 0600 file and fixes the mode of an existing one. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

// The control-plane process: opens the store, starts the API server, bootstraps built-in
// objects, writes HOME/kubeconfig and HOME/controlplane.json, then starts the registered
// components in order. SIGTERM/SIGINT stop components in reverse order, then the server.
// `withComponents: false` is `fluid apiserver`: the API server alone.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateToken } from '../../adapters/apiserver/auth.js';
import { ensureBuiltins } from '../../adapters/apiserver/bootstrap.js';
import { jsonLogger, parseLogLevel, type Logger } from '../../adapters/apiserver/logger.js';
import { startApiServer, type RunningApiServer } from '../../adapters/apiserver/server.js';
import { ensureServingCert } from '../../adapters/apiserver/tls.js';
import { SqliteObjectStore } from '../../adapters/store/sqlite-object-store.js';
import { components } from './components.js';
import { ensurePrivateHome, homePaths, type ControlPlaneState } from './home.js';
import { rotatingLogWriter } from './log-file.js';
import { kindsPort } from './kinds.js';
import { writeKubeconfig } from './kubeconfig.js';

export interface RunOptions {
  readonly home: string;
  /** undefined: reuse the last port if free, else pick one. */
  readonly port: number | undefined;
  readonly host: string;
  readonly withComponents: boolean;
  /** Change-log entries kept for watch (older resourceVersions get 410); default 10000. */
  readonly watchHistory?: number;
}

function lastPort(stateFile: string): number | undefined {
  try {
    const s = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<ControlPlaneState>;
    return typeof s.port === 'number' ? s.port : undefined;
  } catch {
    return undefined;
  }
}

/** Runs until a termination signal; resolves with the exit code. */
export async function runControlPlane(opts: RunOptions): Promise<number> {
  const paths = homePaths(opts.home);
  ensurePrivateHome(paths);
  // FLUID_LOG_LEVEL=debug adds the per-request access lines.
  const log: Logger = jsonLogger(rotatingLogWriter({ path: paths.log }), { pid: process.pid }, { level: parseLogLevel(process.env.FLUID_LOG_LEVEL) ?? 'info' });
  const token = loadOrCreateToken(paths.token);
  const tls = ensureServingCert(paths.tlsDir);
  const store = new SqliteObjectStore({ path: paths.db, sensitive: (k) => k.group === '' && k.resource === 'secrets', ...(opts.watchHistory !== undefined ? { retainChanges: opts.watchHistory } : {}) });
  let server: RunningApiServer;
  const previous = opts.port === undefined ? lastPort(paths.stateFile) : undefined;
  try {
    server = await startApiServer({ store, kinds: kindsPort, token, log: log.child({ component: 'apiserver' }), host: opts.host, port: opts.port ?? previous ?? 0, tls, podLogRoot: join(paths.home, 'pods') });
  } catch (err) {
    if (previous === undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      store.close();
      throw err;
    }
    server = await startApiServer({ store, kinds: kindsPort, token, log: log.child({ component: 'apiserver' }), host: opts.host, port: 0, tls, podLogRoot: join(paths.home, 'pods') });
  }
  ensureBuiltins(server.service, new Date(), { name: hostname(), address: '127.0.0.1', cpus: cpus().length, memoryBytes: totalmem(), arch: arch(), kernel: release() });
  writeKubeconfig(paths.kubeconfig, `https://${opts.host}:${server.port}`, token, tls.certPem);
  const state: ControlPlaneState = { pid: process.pid, port: server.port, startedAt: new Date().toISOString(), mode: opts.withComponents ? 'controlplane' : 'apiserver' };
  writeFileSync(`${paths.stateFile}.tmp`, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(`${paths.stateFile}.tmp`, paths.stateFile);
  log.info('api server listening', { host: opts.host, port: server.port, mode: state.mode });

  const abort = new AbortController();
  const started: { name: string; stop(): Promise<void> }[] = [];
  let stopping: Promise<number> | undefined;
  const shutdown = async (why: string): Promise<number> => {
    log.info('shutting down', { reason: why });
    abort.abort();
    let code = 0;
    for (const c of [...started].reverse()) {
      try {
        await c.stop();
        log.info('component stopped', { component: c.name });
      } catch (err) {
        code = 1;
        log.error('component failed to stop', { component: c.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
    await server.close();
    store.close();
    rmSync(paths.stateFile, { force: true });
    log.info('stopped');
    return code;
  };
  const done = new Promise<number>((resolve) => {
    const onSignal = (sig: string): void => {
      stopping ??= shutdown(sig);
      void stopping.then(resolve);
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });

  if (opts.withComponents) {
    for (const c of components) {
      if (abort.signal.aborted) break;
      try {
        const handle = await c.start({ home: paths.home, kubeconfigPath: paths.kubeconfig, log: log.child({ component: c.name }), signal: abort.signal });
        started.push({ name: c.name, stop: () => handle.stop() });
        log.info('component started', { component: c.name });
      } catch (err) {
        log.error('component failed to start', { component: c.name, error: err instanceof Error ? err.message : String(err) });
        stopping ??= shutdown(`component ${c.name} failed to start`);
        return stopping.then(() => 1);
      }
    }
  }
  return done;
}

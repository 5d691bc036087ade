import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlags, portFlag } from '../../controlplane/flags.js';
import { ensurePrivateFile, ensurePrivateHome, homePaths, resolveHome } from '../../controlplane/home.js';
import { probeReady, readState, waitUntil } from '../../controlplane/lifecycle.js';
import { pidAlive } from '../../../adapters/process/pid.js';
import type { Command } from '../command.js';

const entry = fileURLToPath(new URL('../entry.js', import.meta.url));
const READY_TIMEOUT_MS = 90_000;

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export const command: Command = {
  summary: 'start the control plane in the background and wait until it is healthy: up [--home DIR] [--port N]',
  async run(args: string[]): Promise<number> {
    const flags = parseFlags(args, ['home', 'port']);
    const port = portFlag(flags);
    const paths = homePaths(resolveHome(flags.get('home')));
    const hint = (p: number): void => {
      process.stdout.write(`kubeconfig: ${paths.kubeconfig}\n`);
      process.stdout.write(`try: kubectl --kubeconfig "$(fluid kubeconfig --home ${paths.home})" get datasets  (API at https://127.0.0.1:${p})\n`);
    };
    ensurePrivateHome(paths);
    const current = readState(paths.stateFile);
    if (current && pidAlive(current.pid)) {
      if (await waitUntil(() => probeReady(current.port, join(paths.tlsDir, 'apiserver.crt')), 10_000, 250)) {
        process.stdout.write(`control plane already running (pid ${current.pid})\n`);
        hint(current.port);
        return 0;
      }
      process.stderr.write(`fluid: a control plane process (pid ${current.pid}) is running but not healthy; run "fluid down --home ${paths.home}" first\n`);
      return 1;
    }
    if (current) rmSync(paths.stateFile, { force: true }); // stale: the process is gone
    // The process's own stdout/stderr (crash traces, Node warnings) go to a file of their own:
    // controlplane.log is written by the process's logger and rotated by it.
    ensurePrivateFile(paths.stdioLog);
    const out = openSync(paths.stdioLog, 'a');
    const child = spawn(process.execPath, [entry, 'controlplane', 'run', '--home', paths.home, ...(port !== undefined ? ['--port', String(port)] : [])], {
      detached: true, stdio: ['ignore', out, out], env: process.env,
    });
    closeSync(out);
    const pid = child.pid;
    let exited: number | string | undefined;
    child.on('exit', (code, sig) => { exited = code ?? sig ?? -1; });
    child.unref();
    if (pid === undefined) {
      process.stderr.write('fluid: could not start the control plane process\n');
      return 1;
    }
    const ok = await waitUntil(async () => {
      if (exited !== undefined) return true;
      const s = readState(paths.stateFile);
      return s !== undefined && s.pid === pid && probeReady(s.port, join(paths.tlsDir, 'apiserver.crt'));
    }, READY_TIMEOUT_MS, 200);
    if (!ok || exited !== undefined) {
      process.stderr.write(`fluid: the control plane did not become healthy (${exited !== undefined ? `exited with ${exited}` : 'timed out'}); last log lines from ${paths.log}:\n${tail(paths.log, 20)}\n${tail(paths.stdioLog, 20)}\n`);
      return 1;
    }
    const s = readState(paths.stateFile);
    process.stdout.write(`control plane started (pid ${pid})\n`);
    hint(s?.port ?? 0);
    return 0;
  },
};

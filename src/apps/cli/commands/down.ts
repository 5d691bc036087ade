import { rmSync } from 'node:fs';
import { parseFlags } from '../../controlplane/flags.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import { groupAlive, readState, unmountAllUnder, waitUntil } from '../../controlplane/lifecycle.js';
import { pidAlive } from '../../../adapters/process/pid.js';
import type { Command } from '../command.js';

const TERM_TIMEOUT_MS = 30_000;

export const command: Command = {
  summary: 'stop the control plane and everything it started; unmount anything under HOME: down [--home DIR]',
  async run(args: string[]): Promise<number> {
    const paths = homePaths(resolveHome(parseFlags(args, ['home']).get('home')));
    const state = readState(paths.stateFile);
    if (state && pidAlive(state.pid)) {
      process.kill(state.pid, 'SIGTERM');
      if (!await waitUntil(() => !pidAlive(state.pid), TERM_TIMEOUT_MS, 100)) {
        process.stderr.write(`fluid: control plane (pid ${state.pid}) did not stop within ${TERM_TIMEOUT_MS / 1000}s; killing it\n`);
      }
    }
    // `up` starts the control plane as a process-group leader: whatever it started and left
    // behind (e.g. after a crash) is in that group.
    if (state && groupAlive(state.pid)) {
      try { process.kill(-state.pid, 'SIGKILL'); } catch { /* already gone */ }
      await waitUntil(() => !groupAlive(state.pid), 10_000, 100);
    }
    const left = unmountAllUnder(paths.home);
    rmSync(paths.stateFile, { force: true });
    if (left.length > 0) {
      process.stderr.write(`fluid: still mounted under ${paths.home}: ${left.join(', ')}\n`);
      return 1;
    }
    process.stdout.write(state ? `control plane stopped (pid ${state.pid})\n` : 'control plane was not running\n');
    return 0;
  },
};

import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { countObjects } from '../../../adapters/store/sqlite-object-store.js';
import { parseFlags } from '../../controlplane/flags.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import { probeReady, readState } from '../../controlplane/lifecycle.js';
import { pidAlive } from '../../../adapters/process/pid.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'print the control plane\'s state: status [--home DIR]',
  async run(args: string[]): Promise<number> {
    const paths = homePaths(resolveHome(parseFlags(args, ['home']).get('home')));
    const state = readState(paths.stateFile);
    const running = state !== undefined && pidAlive(state.pid);
    const healthy = running && await probeReady(state.port, join(paths.tlsDir, 'apiserver.crt'));
    const lines = [`home:       ${paths.home}`];
    if (running) {
      lines.push(`state:      running${healthy ? '' : ' (not answering /readyz)'}`, `pid:        ${state.pid}`,
        `api:        https://127.0.0.1:${state.port}`, `started:    ${state.startedAt}`, `kubeconfig: ${paths.kubeconfig}`);
    } else {
      lines.push('state:      stopped');
    }
    if (existsSync(paths.db)) {
      const counts = countObjects(paths.db);
      lines.push('objects:');
      for (const c of counts) lines.push(`  ${(c.group ? `${c.resource}.${c.group}` : c.resource).padEnd(36)} ${c.count}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

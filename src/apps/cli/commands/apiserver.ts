import { parseFlags, portFlag, watchHistoryFlag } from '../../controlplane/flags.js';
import { resolveHome } from '../../controlplane/home.js';
import { runControlPlane } from '../../controlplane/run.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'run only the embedded API server in the foreground: apiserver [--home DIR] [--port N] [--host ADDR] [--watch-history N]',
  async run(args: string[]): Promise<number> {
    const flags = parseFlags(args, ['home', 'port', 'host', 'watch-history']);
    return runControlPlane({ home: resolveHome(flags.get('home')), port: portFlag(flags), host: flags.get('host') ?? '127.0.0.1', withComponents: false, ...watchHistoryFlag(flags) });
  },
};

import { UsageError } from '../../../core/errors.js';
import { parseFlags, portFlag, watchHistoryFlag } from '../../controlplane/flags.js';
import { resolveHome } from '../../controlplane/home.js';
import { runControlPlane } from '../../controlplane/run.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'run the control plane in the foreground: controlplane run [--home DIR] [--port N] [--host ADDR] [--watch-history N]',
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== 'run') throw new UsageError('usage: fluid controlplane run [--home DIR] [--port N] [--host ADDR] [--watch-history N]');
    const flags = parseFlags(rest, ['home', 'port', 'host', 'watch-history']);
    return runControlPlane({ home: resolveHome(flags.get('home')), port: portFlag(flags), host: flags.get('host') ?? '127.0.0.1', withComponents: true, ...watchHistoryFlag(flags) });
  },
};

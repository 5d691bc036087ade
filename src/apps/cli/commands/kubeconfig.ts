import { existsSync } from 'node:fs';
import { parseFlags } from '../../controlplane/flags.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'print the path of the control plane\'s kubeconfig: kubeconfig [--home DIR]',
  run(args: string[]): Promise<number> {
    const paths = homePaths(resolveHome(parseFlags(args, ['home']).get('home')));
    if (!existsSync(paths.kubeconfig)) {
      process.stderr.write(`fluid: no kubeconfig at ${paths.kubeconfig}; start the control plane with "fluid up"\n`);
      return Promise.resolve(1);
    }
    process.stdout.write(`${paths.kubeconfig}\n`);
    return Promise.resolve(0);
  },
};

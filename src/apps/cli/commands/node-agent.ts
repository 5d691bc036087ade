// `fluid node-agent --kubeconfig FILE [--home DIR] [--node NAME] [--address IP]`: runs the local node agent
// alone, until SIGTERM/SIGINT.
import { NodeAgent, defaultNodeName } from '../../node-agent/node-agent.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';
import { parseArgs } from './controllers.js';
import { runUntilSignal } from '../../controllers/run-until-signal.js';

export const command: Command = {
  summary: 'run the local node agent (pods -> supervised processes): node-agent [--kubeconfig FILE] [--home DIR] [--node NAME] [--address IP]',
  async run(args: string[]): Promise<number> {
    const o = parseArgs(args, ['kubeconfig', 'home', 'node', 'address'], []);
    const home = resolveHome(o.get('home'));
    const agent = new NodeAgent({
      kubeconfigPath: o.get('kubeconfig') ?? homePaths(home).kubeconfig, home, nodeName: o.get('node') ?? defaultNodeName(),
      ...(o.get('address') ? { address: o.get('address') } : {}),
      log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
    await agent.start();
    return runUntilSignal(() => agent.stop());
  },
};

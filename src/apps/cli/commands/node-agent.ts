// `fluid node-agent --kubeconfig FILE [--home DIR] [--node NAME] [--address IP] [--host-root DIR]`: runs
// the local node agent alone, until SIGTERM/SIGINT. --host-root maps the node's hostPath volumes under
// DIR (node hosts that share one filesystem, scripts/kube-cluster.sh).
import { NodeAgent, defaultNodeName } from '../../node-agent/node-agent.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';
import { resolve } from 'node:path';
import { parseArgs } from './controllers.js';
import { runUntilSignal } from '../../controllers/run-until-signal.js';

export const command: Command = {
  summary: 'run the local node agent (pods -> supervised processes): node-agent [--kubeconfig FILE] [--home DIR] [--node NAME] [--address IP] [--host-root DIR]',
  async run(args: string[]): Promise<number> {
    const o = parseArgs(args, ['kubeconfig', 'home', 'node', 'address', 'host-root'], []);
    const hostRoot = o.get('host-root');
    const home = resolveHome(o.get('home'));
    const agent = new NodeAgent({
      kubeconfigPath: o.get('kubeconfig') ?? homePaths(home).kubeconfig, home, nodeName: o.get('node') ?? defaultNodeName(),
      ...(o.get('address') ? { address: o.get('address') } : {}),
      ...(hostRoot ? { hostRoot: resolve(hostRoot) } : {}),
      log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
    await agent.start();
    return runUntilSignal(() => agent.stop());
  },
};

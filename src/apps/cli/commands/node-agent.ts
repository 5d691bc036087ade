// `fluid node-agent --kubeconfig FILE [--home DIR] [--node NAME] [--address IP] [--host-root DIR]
// [--kubelet-port N --client-ca-file FILE]`: runs the local node agent alone, until SIGTERM/SIGINT.
// --host-root maps the node's hostPath volumes under DIR (node hosts that share one filesystem,
// scripts/kube-cluster.sh). --kubelet-port serves the kubelet API (kubectl logs/exec through a real
// kube-apiserver) on --address over HTTPS, for clients whose certificate --client-ca-file signed.
import { NodeAgent, defaultNodeName } from '../../node-agent/node-agent.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';
import { resolve } from 'node:path';
import { parseArgs } from './controllers.js';
import { runUntilSignal } from '../../controllers/run-until-signal.js';

export const command: Command = {
  summary: 'run the local node agent (pods -> supervised processes): node-agent [--kubeconfig FILE] [--home DIR] [--node NAME] [--address IP] [--host-root DIR] [--kubelet-port N --client-ca-file FILE]',
  async run(args: string[]): Promise<number> {
    const o = parseArgs(args, ['kubeconfig', 'home', 'node', 'address', 'host-root', 'kubelet-port', 'client-ca-file'], []);
    const hostRoot = o.get('host-root');
    const home = resolveHome(o.get('home'));
    const kubeletPort = o.get('kubelet-port');
    const clientCa = o.get('client-ca-file');
    if (kubeletPort !== undefined && (!/^[0-9]+$/.test(kubeletPort) || Number(kubeletPort) < 1 || Number(kubeletPort) > 65535)) {
      process.stderr.write(`node-agent: --kubelet-port: expected a port from 1 to 65535, got ${JSON.stringify(kubeletPort)}\n`);
      return 2;
    }
    if ((kubeletPort === undefined) !== (clientCa === undefined)) {
      process.stderr.write('node-agent: --kubelet-port and --client-ca-file go together (the kubelet API admits only clients of that CA)\n');
      return 2;
    }
    const agent = new NodeAgent({
      kubeconfigPath: o.get('kubeconfig') ?? homePaths(home).kubeconfig, home, nodeName: o.get('node') ?? defaultNodeName(),
      ...(o.get('address') ? { address: o.get('address') } : {}),
      ...(hostRoot ? { hostRoot: resolve(hostRoot) } : {}),
      ...(kubeletPort !== undefined && clientCa !== undefined ? { kubelet: { port: Number(kubeletPort), clientCaFile: resolve(clientCa) } } : {}),
      log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
    await agent.start();
    return runUntilSignal(() => agent.stop());
  },
};

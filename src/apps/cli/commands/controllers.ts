// `fluid controllers --kubeconfig FILE [--home DIR] [--node NAME] [--no-workloads]
// [--runtime-port-range MIN-MAX]`: runs the controllers alone against any API server (e.g. a real
// cluster), until SIGTERM/SIGINT.
import { UsageError } from '../../../core/errors.js';
import { startControllers } from '../../controllers/start-controllers.js';
import { defaultNodeName } from '../../node-agent/node-agent.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';
import { parsePortRange } from '../../../core/reconcile/port-allocation.js';
import { runUntilSignal } from '../../controllers/run-until-signal.js';

export const command: Command = {
  summary: 'run the Dataset/runtime/DataLoad controllers: controllers [--kubeconfig FILE] [--home DIR] [--node NAME] [--no-workloads] [--runtime-port-range 20000-26000]',
  async run(args: string[]): Promise<number> {
    const o = parseArgs(args, ['kubeconfig', 'home', 'node', 'runtime-port-range'], ['no-workloads']);
    const range = o.get('runtime-port-range');
    const home = resolveHome(o.get('home'));
    const running = await startControllers({
      kubeconfigPath: o.get('kubeconfig') ?? homePaths(home).kubeconfig, home, nodeName: o.get('node') ?? defaultNodeName(),
      workloads: !o.has('no-workloads'), ...(range !== undefined ? { portRange: parsePortRange(range) } : {}), log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
    return runUntilSignal(() => running.stop());
  },
};

export function parseArgs(args: readonly string[], valued: readonly string[], bools: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i] ?? '');
    if (!m) throw new UsageError(`unexpected argument "${args[i] ?? ''}"`);
    const name = m[1] ?? '';
    if (bools.includes(name)) { out.set(name, 'true'); continue; }
    if (!valued.includes(name)) throw new UsageError(`unknown flag --${name}`);
    const v = m[2] ?? args[++i];
    if (v === undefined) throw new UsageError(`--${name} needs a value`);
    out.set(name, v);
  }
  return out;
}

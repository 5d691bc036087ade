// `fluid mount-path <dataset> [-n ns] [--home DIR]`: prints where the dataset is FUSE-mounted on
// this machine (the fluid_path of its PV <ns>-<name>).
import { UsageError } from '../../../core/errors.js';
import { KubeClient } from '../../../adapters/kube/kube-client.js';
import { R } from '../../../adapters/kube/resources.js';
import { pvName } from '../../../core/workloads/names.js';
import type { KubeObject } from '../../../core/workloads/kube-object.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'print where a dataset is mounted on this machine: mount-path <dataset> [-n NAMESPACE] [--home DIR]',
  async run(args: string[]): Promise<number> {
    let name: string | undefined;
    let ns = 'default';
    let home: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      const value = (): string => {
        const v = args[++i];
        if (v === undefined) throw new UsageError(`${a} needs a value`);
        return v;
      };
      if (a === '-n' || a === '--namespace') ns = value();
      else if (a.startsWith('--namespace=')) ns = a.slice('--namespace='.length);
      else if (a === '--home') home = value();
      else if (a.startsWith('--home=')) home = a.slice('--home='.length);
      else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}; usage: fluid mount-path <dataset> [-n NAMESPACE] [--home DIR]`);
      else if (name === undefined) name = a;
      else throw new UsageError(`unexpected argument "${a}"`);
    }
    if (!name) throw new UsageError('usage: fluid mount-path <dataset> [-n NAMESPACE] [--home DIR]');
    const client = KubeClient.fromKubeconfig(homePaths(resolveHome(home)).kubeconfig);
    const pv = await client.get<KubeObject & { spec?: { csi?: { volumeAttributes?: Record<string, string> } } }>(R.pv, undefined, pvName(ns, name));
    const path = pv?.spec?.csi?.volumeAttributes?.['fluid_path'];
    if (!path) {
      process.stderr.write(`fluid: dataset ${ns}/${name} has no volume yet (no PV ${pvName(ns, name)}); is a runtime bound to it? see "kubectl get dataset ${name} -n ${ns}"\n`);
      return 1;
    }
    process.stdout.write(`${path}\n`);
    return 0;
  },
};

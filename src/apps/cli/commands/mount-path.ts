// `fluid mount-path <dataset> [-n ns] [--home DIR | --kubeconfig FILE] [--node NAME]`: prints where
// the dataset is FUSE-mounted on the host: the fluid_path of its PV <ns>-<name>, under the node's
// host root (Node annotation fluid.io/host-root, set by node agents whose hostPaths are mapped
// under a directory of their own) when --node names such a node.
import { UsageError } from '../../../core/errors.js';
import { KubeClient } from '../../../adapters/kube/kube-client.js';
import { R } from '../../../adapters/kube/resources.js';
import { NODE_HOST_ROOT_ANNOTATION, pvName } from '../../../core/workloads/names.js';
import type { KubeObject } from '../../../core/workloads/kube-object.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';

const USAGE = 'mount-path <dataset> [-n NAMESPACE] [--home DIR | --kubeconfig FILE] [--node NAME]';

export const command: Command = {
  summary: `print where a dataset is FUSE-mounted on the host: ${USAGE}`,
  async run(args: string[]): Promise<number> {
    let name: string | undefined;
    let ns = 'default';
    let home: string | undefined;
    let kubeconfig: string | undefined;
    let node: string | undefined;
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
      else if (a === '--kubeconfig') kubeconfig = value();
      else if (a.startsWith('--kubeconfig=')) kubeconfig = a.slice('--kubeconfig='.length);
      else if (a === '--node') node = value();
      else if (a.startsWith('--node=')) node = a.slice('--node='.length);
      else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}; usage: ${USAGE}`);
      else if (name === undefined) name = a;
      else throw new UsageError(`unexpected argument "${a}"`);
    }
    if (!name) throw new UsageError(`usage: ${USAGE}`);
    const client = KubeClient.fromKubeconfig(kubeconfig ?? homePaths(resolveHome(home)).kubeconfig);
    const pv = await client.get<KubeObject & { spec?: { csi?: { volumeAttributes?: Record<string, string> } } }>(R.pv, undefined, pvName(ns, name));
    const path = pv?.spec?.csi?.volumeAttributes?.['fluid_path'];
    if (!path) {
      process.stderr.write(`fluid: dataset ${ns}/${name} has no volume yet (no PV ${pvName(ns, name)}); is a runtime bound to it? see "kubectl get dataset ${name} -n ${ns}"\n`);
      return 1;
    }
    let root = '';
    if (node !== undefined) {
      const n = await client.get<KubeObject>(R.node, undefined, node);
      if (!n) {
        process.stderr.write(`fluid: no Node named "${node}"; see "kubectl get nodes"\n`);
        return 1;
      }
      root = (n.metadata.annotations?.[NODE_HOST_ROOT_ANNOTATION] ?? '').replace(/\/+$/, '');
    }
    process.stdout.write(`${root}${path}\n`);
    return 0;
  },
};

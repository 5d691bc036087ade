// Runs the fluid-ts controllers as a pod on a real cluster: a pod of image fluid-ts/engine whose
// container runs `fluid controllers ...` (the Helm chart's controllers Deployment). The process
// gets its service account's token as a kubeconfig file (service-account.ts). Readiness: the
// process is running.
import { ENGINE_IMAGE } from '../../core/workloads/names.js';
import type { Pod } from '../../core/workloads/kube-object.js';
import { PodPrepareError, type PodEnvironment, type PodRunner, type PreparedContainer } from './pod-runner.js';
import { containerEnv } from './engine-runner.js';
import { serviceAccountKubeconfig } from './service-account.js';

function isControllers(pod: Pod): boolean {
  const c = pod.spec.containers[0];
  return pod.spec.containers.length === 1 && (c?.image ?? '').split(':')[0] === ENGINE_IMAGE && (c?.command ?? [])[0] === 'fluid' && (c?.args ?? [])[0] === 'controllers';
}

export const controllersRunner: PodRunner = {
  name: 'controllers',
  claims: isControllers,
  async prepare(pod: Pod, penv: PodEnvironment): Promise<PreparedContainer> {
    const container = pod.spec.containers[0];
    if (!container) throw new PodPrepareError('NoContainer', 'pod has no container');
    const kubeconfig = await serviceAccountKubeconfig(pod, penv);
    const args = [...(container.args ?? []), '--kubeconfig', kubeconfig, '--home', penv.home, '--node', penv.nodeName];
    return {
      container: container.name,
      image: container.image,
      command: process.execPath,
      args: ['--enable-source-maps', penv.cliEntry, ...args],
      env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...containerEnv(pod, container, penv.nodeName, penv.address) },
      cwd: penv.podDir,
      annotations: {},
      ready: () => Promise.resolve(true),
      afterExit: () => undefined,
    };
  },
};

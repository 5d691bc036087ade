// Application pods: a pod of any image whose volumes are all persistentVolumeClaims (fluid dataset
// volumes), run without a container runtime. The image is not pulled. The container's process is a
// host process in a private mount namespace (core/workloads/app-pod.ts) where each volume, set up
// through the CSI plugin as the kubelet does (csi-volumes.ts: stage, then publish), is bound at its
// mountPath. command/args run when given; otherwise a holder process keeps the pod Running and a pod
// condition says the image's entrypoint was not run. Working directory: the container's workingDir,
// else HOME/pods/<ns>/<pod>/workdir. What it is not: no image filesystem, no network or PID
// isolation, no resource limits; the process sees the host's files outside its volumes.
// HOME/pods/<ns>/<pod>/exec.json records the working directory and env for `kubectl exec`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_EXEC_FILE, ENTRYPOINT_NOT_RUN_CONDITION, appCommand, appNamespaceArgv, entrypointNotRunMessage, isServiceAccountTokenVolume, type AppExecInfo, type NamespaceMount } from '../../core/workloads/app-pod.js';
import type { Pod } from '../../core/workloads/kube-object.js';
import { containerEnv } from './engine-runner.js';
import { PodPrepareError, type PodEnvironment, type PodRunner, type PreparedContainer } from './pod-runner.js';

/**
 * One container whose every volume is a persistentVolumeClaim (whether each is a fluid volume is
 * checked at prepare), apart from the service-account token volume, which is not mounted.
 */
function isAppPod(pod: Pod): boolean {
  return pod.spec.containers.length === 1 && (pod.spec.volumes ?? []).every((v) => v.persistentVolumeClaim !== undefined || isServiceAccountTokenVolume(v));
}

export const appRunner: PodRunner = {
  name: 'application',
  claims: isAppPod,
  async prepare(pod: Pod, penv: PodEnvironment): Promise<PreparedContainer> {
    const container = pod.spec.containers[0];
    if (!container) throw new PodPrepareError('NoContainer', 'pod has no container');
    if (!penv.csi) throw new PodPrepareError('NoCsiPlugin', 'this node agent has no CSI plugin to mount dataset volumes with');
    const csi = penv.csi;
    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const volumes = new Set((pod.spec.volumes ?? []).map((v) => v.name));
    for (const vm of container.volumeMounts ?? []) {
      if (!volumes.has(vm.name)) throw new PodPrepareError('VolumeNotFound', `volumeMount "${vm.name}" names no volume of the pod`);
      if (!vm.mountPath.startsWith('/')) throw new PodPrepareError('InvalidMountPath', `volumeMount "${vm.name}": mountPath must be absolute, got ${JSON.stringify(vm.mountPath)}`);
    }
    const published = await csi.setUp(pod, penv.podDir);
    const tokenVolumes = new Set((pod.spec.volumes ?? []).filter(isServiceAccountTokenVolume).map((v) => v.name));
    const mounts: NamespaceMount[] = (container.volumeMounts ?? []).filter((vm) => !tokenVolumes.has(vm.name)).map((vm) => {
      const p = published.find((x) => x.volume === vm.name);
      if (!p) throw new PodPrepareError('VolumeNotFound', `volume "${vm.name}" was not published`);
      return { source: p.targetPath, mountPath: vm.mountPath, readOnly: vm.readOnly === true || p.readOnly };
    });
    const workdir = join(penv.podDir, 'workdir');
    const cwd = container.workingDir ?? workdir;
    mkdirSync(cwd, { recursive: true });
    const cmd = appCommand(container);
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', HOSTNAME: pod.metadata.name, ...containerEnv(pod, container, penv.nodeName, penv.address) };
    const info: AppExecInfo = { cwd, env, container: container.name };
    writeFileSync(join(penv.podDir, APP_EXEC_FILE), `${JSON.stringify(info)}\n`, { mode: 0o600 });
    const [command = 'unshare', ...args] = appNamespaceArgv(mounts, cwd, cmd.argv);
    return {
      container: container.name,
      image: container.image,
      command,
      args,
      env,
      cwd: penv.podDir,
      annotations: {},
      ...(cmd.kind === 'holder' ? { conditions: [{ type: ENTRYPOINT_NOT_RUN_CONDITION, status: 'True', reason: 'NoContainerRuntime', message: entrypointNotRunMessage(container.image) }] } : {}),
      ready: () => Promise.resolve({ ready: true, message: '' }),
      afterExit: () => {},
      async release(): Promise<void> {
        await csi.tearDown(key, published);
        rmSync(join(penv.podDir, APP_EXEC_FILE), { force: true });
        if (cwd === workdir) rmSync(workdir, { recursive: true, force: true });
      },
    };
  },
};

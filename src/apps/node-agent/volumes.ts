// Materialises a pod's volumes on the host (the kubelet's volume manager, embedded edition):
//   configMap             -> <podDir>/volumes/<vol>/<key>  (0644; JSON paths rewritten, see below)
//   secret                -> <podDir>/secrets/<secretName>/<key>  (0600, dir 0700)
//   emptyDir              -> <podDir>/volumes/<vol>/
//   persistentVolumeClaim -> HOME/volumes/<ns>/<claim>/  (survives pod deletion, like a PV); with a
//                            hostRoot, a hostPath PV marked fluid.io/reachable-from-all-nodes is its
//                            path as is (a network disk every node reaches), another hostPath PV is
//                            mapped like a hostPath volume
//   hostPath              -> the path itself, or with a hostRoot (node hosts sharing one filesystem)
//                            <hostRoot>/<path> and /dev/shm/... under the node's shm root (created when
//                            type DirectoryOrCreate)
// and returns the mountPath -> host dir mappings of one container.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { R } from '../../adapters/kube/resources.js';
import type { ConfigMapLike, Container, KubeObject, Pod, Volume } from '../../core/workloads/kube-object.js';
import { mapJsonPaths, nodeHostPath, type PathMapping } from '../../core/workloads/path-map.js';
import { SHARED_HOSTPATH_ANNOTATION } from '../../core/workloads/names.js';
import { shmRootOf } from '../controlplane/home.js';
import { PodPrepareError } from './pod-runner.js';

/** A pod's materialised volumes: mountPath -> host dir mappings, and the refresh of its ConfigMap files. */
export interface MaterializedVolumes {
  readonly mappings: PathMapping[];
  /**
   * Re-reads the pod's ConfigMaps and rewrites a file whose content changed (write + rename, so a
   * reader never sees half a file), as the kubelet updates mounted ConfigMaps. A key that is gone
   * from the ConfigMap keeps its file; a ConfigMap that is gone is skipped.
   */
  refresh(): Promise<void>;
}

export async function materializeVolumes(client: KubeClient, home: string, podDir: string, pod: Pod, container: Container, hostRoot?: string): Promise<MaterializedVolumes> {
  const onNode = (p: string): string => nodeHostPath(p, hostRoot, shmRootOf(home));
  const ns = pod.metadata.namespace ?? 'default';
  const volumes = new Map<string, Volume>((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  const mappings: PathMapping[] = [];
  const configFiles: { dir: string; name: string; data: Record<string, string> }[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const v = volumes.get(vm.name);
    if (!v) throw new PodPrepareError('VolumeNotFound', `volumeMount "${vm.name}" names no volume of the pod`);
    let hostDir: string;
    if (v.configMap) {
      const cm = await client.get<ConfigMapLike>(R.configMap, ns, v.configMap.name);
      if (!cm) throw new PodPrepareError('ConfigMapNotFound', `ConfigMap "${v.configMap.name}" (volume ${v.name}) not found`);
      hostDir = join(podDir, 'volumes', v.name);
      configFiles.push({ dir: hostDir, name: v.configMap.name, data: cm.data ?? {} });
    } else if (v.secret) {
      const secret = await client.get<KubeObject & { data?: Record<string, string> }>(R.secret, ns, v.secret.secretName);
      if (!secret) throw new PodPrepareError('SecretNotFound', `Secret "${v.secret.secretName}" (volume ${v.name}) not found in namespace "${ns}"`);
      hostDir = join(podDir, 'secrets', v.secret.secretName);
      mkdirSync(hostDir, { recursive: true, mode: 0o700 });
      chmodSync(hostDir, 0o700);
      for (const [k, b64] of Object.entries(secret.data ?? {})) {
        const f = join(hostDir, k);
        writeFileSync(f, Buffer.from(b64, 'base64'), { mode: 0o600 });
        chmodSync(f, 0o600);
      }
    } else if (v.emptyDir) {
      hostDir = join(podDir, 'volumes', v.name);
      mkdirSync(hostDir, { recursive: true });
    } else if (v.persistentVolumeClaim) {
      const claim = v.persistentVolumeClaim.claimName;
      const pvc = await client.get<KubeObject & { spec?: { volumeName?: string } }>(R.pvc, ns, claim);
      if (!pvc) throw new PodPrepareError('PVCNotFound', `PersistentVolumeClaim "${claim}" (volume ${v.name}) not found in namespace "${ns}"`);
      hostDir = join(home, 'volumes', ns, claim);
      if (hostRoot !== undefined && pvc.spec?.volumeName) {
        const pv = await client.get<KubeObject & { spec?: { hostPath?: { path?: string } } }>(R.pv, undefined, pvc.spec.volumeName);
        const path = pv?.spec?.hostPath?.path;
        if (path) hostDir = pv.metadata.annotations?.[SHARED_HOSTPATH_ANNOTATION] === 'true' ? path : onNode(path);
      }
      mkdirSync(hostDir, { recursive: true });
    } else if (v.hostPath) {
      hostDir = onNode(v.hostPath.path);
      if (v.hostPath.type === 'DirectoryOrCreate' || v.hostPath.type === undefined) mkdirSync(hostDir, { recursive: true });
    } else {
      throw new PodPrepareError('UnsupportedVolume', `volume "${v.name}": only configMap, secret, emptyDir, persistentVolumeClaim and hostPath volumes are supported`);
    }
    mappings.push({ mountPath: vm.mountPath, hostDir });
  }
  // Config files are written last: their JSON paths are rewritten through every mapping, so an
  // engine config naming /etc/fluid/... or /var/run/fluid/secrets/... points at host paths.
  const render = (k: string, text: string): string => {
    if (!k.endsWith('.json')) return text;
    try {
      return `${JSON.stringify(mapJsonPaths(JSON.parse(text), mappings), null, 2)}\n`;
    } catch {
      return text;
    }
  };
  const written = new Map<string, string>();
  const write = (file: string, out: string): void => {
    if (written.get(file) === out) return;
    writeFileSync(`${file}.tmp`, out, { mode: 0o644 });
    renameSync(`${file}.tmp`, file);
    written.set(file, out);
  };
  for (const { dir, data } of configFiles) {
    mkdirSync(dir, { recursive: true });
    for (const [k, text] of Object.entries(data)) write(join(dir, k), render(k, text));
  }
  return {
    mappings,
    async refresh(): Promise<void> {
      for (const { dir, name } of configFiles) {
        const cm = await client.get<ConfigMapLike>(R.configMap, ns, name);
        for (const [k, text] of Object.entries(cm?.data ?? {})) write(join(dir, k), render(k, text));
      }
    },
  };
}

// Names, labels and annotations shared by the controllers, the workload controllers and the
// node agent. Fluid's own names where Fluid has one.

/** Image of pods that run this project's engine (`fluid engine master|worker|fuse`). */
export const ENGINE_IMAGE = 'fluid-ts/engine';

export const FINALIZER = 'fluid-dataset-controller-finalizer';
export const RUNTIME_FINALIZER = 'fluid.io/runtime-controller-finalizer';

/** Annotation on the runtime: JSON PortAllocation (see port-allocation.ts). */
export const PORTS_ANNOTATION = 'fluid.io/ports';
/** Annotation on a pod running our engine: host:port of its RPC listener. */
export const ENGINE_ADDRESS_ANNOTATION = 'fluid.io/engine-address';
/**
 * Annotation "true" on an engine pod: its runtime is being deleted. The node agent that stops the
 * pod then frees what the pod kept on its host (cache tier dirs, the FUSE mount point). Set by the
 * runtime controller before it deletes the workloads; a pod deleted without it keeps its cache.
 */
export const TEARDOWN_ANNOTATION = 'fluid.io/teardown';
/**
 * Annotation "true" on a hostPath PersistentVolume: the path is the same storage on every node (a
 * network disk). The node agent mounts it as is; any other hostPath is mapped under the node's own
 * root, so node hosts sharing one filesystem never share a directory by accident.
 */
export const SHARED_HOSTPATH_ANNOTATION = 'fluid.io/reachable-from-all-nodes';
/** Annotation on a Node (set by its node agent): the directory its hostPath volumes are mapped under. */
export const NODE_HOST_ROOT_ANNOTATION = 'fluid.io/host-root';

export const CSI_DRIVER = 'fuse.csi.fluid.io';
export const STORAGE_CLASS = 'fluid';

/**
 * Prefix of a runtime's component workloads. Fluid names JindoRuntime components
 * "<name>-jindofs-master|worker|fuse" and the others "<name>-master|worker|fuse"; pods are then
 * "<workload>-<ordinal>" (StatefulSets) or "<workload>-<5 chars>" (the fuse DaemonSet).
 */
function componentPrefix(kind: string, name: string): string { return kind === 'JindoRuntime' ? `${name}-jindofs` : name; }
export function masterName(kind: string, name: string): string { return `${componentPrefix(kind, name)}-master`; }
export function workerName(kind: string, name: string): string { return `${componentPrefix(kind, name)}-worker`; }
export function fuseName(kind: string, name: string): string { return `${componentPrefix(kind, name)}-fuse`; }
export function configMapName(name: string): string { return `${name}-engine-config`; }
/** Secret holding the runtime's engine credential (key `token`), owned by the runtime. */
export function engineTokenSecretName(name: string): string { return `${name}-engine-token`; }
/** Key of the token in that Secret. */
export const ENGINE_TOKEN_SECRET_KEY = 'token';
export function pvName(namespace: string, name: string): string { return `${namespace}-${name}`; }

/** Node label marking a node that runs the runtime's FUSE (DaemonSet node selector). */
export function fuseNodeLabel(namespace: string, name: string): string { return `fluid.io/f-${namespace}-${name}`; }
/** Node label marking a node that holds the runtime's cache (a worker). */
export function cacheNodeLabel(namespace: string, name: string): string { return `fluid.io/s-${namespace}-${name}`; }

/** Labels on every workload and pod of one runtime. */
export function runtimeLabels(name: string, role: 'master' | 'worker' | 'fuse'): Record<string, string> {
  return { app: 'fluid-ts', release: name, role: `${name}-${role}`, 'fluid.io/dataset': name };
}

/**
 * Pod template annotation: hash of the dataset mounts an engine pod serves. When a Dataset's
 * mounts change (mountPoint, options, path, added or removed mounts) the hash changes, the
 * workload controller replaces the pods, and they start with the new mount table (the master
 * journals it as a mounts.set entry; a mount whose UFS changed starts a fresh tree).
 */
export const MOUNTS_HASH_ANNOTATION = 'fluid.io/mounts-hash';

/** Config file key (inside the engine ConfigMap) of one StatefulSet pod or of the fuse. */
export function configKey(podName: string): string { return `${podName}.json`; }
export const FUSE_CONFIG_KEY = 'fuse.json';

/** Where the engine ConfigMap is mounted in engine containers. */
export const CONFIG_MOUNT = '/etc/fluid';
/** Where Secret volumes are mounted in engine containers: <SECRETS_MOUNT>/<secretName>/<key>. */
export const SECRETS_MOUNT = '/var/run/fluid/secrets';
/** Journal dir in the master container when no PVC holds it (an emptyDir). */
export const DEFAULT_JOURNAL_MOUNT = '/var/lib/fluid/journal';

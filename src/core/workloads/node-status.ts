// The Node a node agent registers, as the kubelet does: labels, addresses, capacity and allocatable,
// node info, the Ready condition, and the Lease in kube-node-lease that the node lifecycle
// controller watches. Pure: the caller passes the machine's facts and the time.
import type { KubeObject } from './kube-object.js';

export interface NodeFacts {
  readonly name: string;
  /** The InternalIP other nodes reach this one at. */
  readonly address: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  /** Node's `process.arch` ("x64", "arm64", ...). */
  readonly arch: string;
  readonly kernel: string;
  /** The port of the kubelet API this node serves (status.daemonEndpoints.kubeletEndpoint.Port); 0: none. */
  readonly kubeletPort?: number;
}

/** Seconds a Lease stays valid without renewal (the kubelet's default). */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** How often the agent renews its Lease (a quarter of the duration, as the kubelet does). */
export const NODE_LEASE_RENEW_MS = 10_000;
export const KUBELET_VERSION = 'v1.32.0-fluid-ts';

function goArch(arch: string): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}

export function nodeLabels(f: Pick<NodeFacts, 'name' | 'arch'>): Record<string, string> {
  return { 'kubernetes.io/hostname': f.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': goArch(f.arch), 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': goArch(f.arch) };
}

/** `now`: an RFC 3339 time in seconds (Kubernetes' metav1.Time). */
export function nodeStatus(f: NodeFacts, now: string, readySince: string = now): Record<string, unknown> {
  const resources = { cpu: String(f.cpus), memory: `${Math.floor(f.memoryBytes / 1024)}Ki`, pods: '110' };
  const ok = (type: string, reason: string, message: string): Record<string, string> =>
    ({ type, status: 'False', reason, message, lastHeartbeatTime: now, lastTransitionTime: readySince });
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      ok('MemoryPressure', 'KubeletHasSufficientMemory', 'fluid-ts node agent has sufficient memory available'),
      ok('DiskPressure', 'KubeletHasNoDiskPressure', 'fluid-ts node agent has no disk pressure'),
      ok('PIDPressure', 'KubeletHasSufficientPID', 'fluid-ts node agent has sufficient PID available'),
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fluid-ts node agent is posting ready status', lastHeartbeatTime: now, lastTransitionTime: readySince },
    ],
    addresses: [{ type: 'InternalIP', address: f.address }, { type: 'Hostname', address: f.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: f.kubeletPort ?? 0 } },
    nodeInfo: {
      machineID: '', systemUUID: '', bootID: '', kernelVersion: f.kernel, osImage: 'fluid-ts node host', containerRuntimeVersion: 'fluid-ts://process',
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: goArch(f.arch),
    },
  };
}

/** `renewTime`: an RFC 3339 time with microseconds (metav1.MicroTime). */
export function nodeLease(name: string, renewTime: string, nodeUid?: string): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: {
      name, namespace: 'kube-node-lease',
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime },
  };
}

// Where a runtime's masters listen, derived from the API alone. Engine pods use host networking, so
// master i listens at the address of the node its pod was placed on and the port allocated to
// ordinal i in the runtime's fluid.io/ports annotation. The node's address is the pod's
// status.hostIP once its node agent (kubelet) reported it, else the InternalIP of the Node named by
// spec.nodeName (known as soon as the scheduler bound the pod, before the process starts: this is
// how Raft peers learn each other's addresses, see cache-engine.ts). One rule for every caller: the
// runtime controller (engine configs, UFS preparation, status sync), the DataLoad controller and
// `fluid master-info`.
import type { PortAllocation } from './runtime-engine.js';

/** What this rule reads of a pod: its name and the node it was placed on. */
export interface PlacedPod {
  readonly metadata: { readonly name: string; readonly deletionTimestamp?: string | undefined };
  readonly spec?: { readonly nodeName?: string | undefined } | undefined;
  readonly status?: { readonly hostIP?: string | undefined } | undefined;
}

/** What this rule reads of a Node: its name and addresses. */
export interface AddressedNode {
  readonly metadata: { readonly name: string };
  readonly status?: { readonly addresses?: readonly { readonly type?: string; readonly address?: string }[] } | undefined;
}

/**
 * The node address of masters 0..replicas-1 of the StatefulSet `masterWorkload` (pods
 * "<workload>-<i>"), in ordinal order; undefined for a master whose pod does not exist, is being
 * deleted, or is not placed yet.
 */
export function masterHosts(masterWorkload: string, replicas: number, pods: readonly PlacedPod[], nodes: readonly AddressedNode[] = []): (string | undefined)[] {
  const byName = new Map(pods.map((p) => [p.metadata.name, p]));
  const internalIp = new Map(nodes.map((n) => [n.metadata.name, n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address]));
  return Array.from({ length: replicas }, (_, i) => {
    const pod = byName.get(`${masterWorkload}-${i}`);
    if (!pod || pod.metadata.deletionTimestamp) return undefined;
    const nodeName = pod.spec?.nodeName;
    return pod.status?.hostIP || (nodeName ? internalIp.get(nodeName) : undefined) || undefined;
  });
}

/** "host:port", bracketing an IPv6 host. */
export function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * host:port of the runtime's masters, in ordinal order. A master whose node address is not known
 * (see masterHosts) or that has no allocated port is left out.
 */
export function masterEndpoints(ports: PortAllocation | undefined, masterWorkload: string, replicas: number, pods: readonly PlacedPod[], nodes: readonly AddressedNode[] = []): string[] {
  const out: string[] = [];
  masterHosts(masterWorkload, replicas, pods, nodes).forEach((host, i) => {
    const port = ports?.master[i];
    if (port !== undefined && host) out.push(endpoint(host, port));
  });
  return out;
}

// Where a runtime's masters listen, derived from the API alone. Engine pods use host networking, so
// master i listens at its pod's status.hostIP (the address of the node it runs on) and the port
// allocated to ordinal i in the runtime's fluid.io/ports annotation. One rule for every caller: the
// runtime controller (UFS preparation, status sync), the DataLoad controller and `fluid master-info`.
import type { PortAllocation } from './runtime-engine.js';

/** What this rule reads of a pod: its name and the node address it was placed on. */
export interface PlacedPod {
  readonly metadata: { readonly name: string };
  readonly status?: { readonly hostIP?: string | undefined } | undefined;
}

/**
 * host:port of masters 0..replicas-1 of the StatefulSet `masterWorkload` (pods "<workload>-<i>"), in
 * ordinal order. A master whose pod does not exist or has no hostIP yet, or that has no allocated
 * port, is left out.
 */
export function masterEndpoints(ports: PortAllocation | undefined, masterWorkload: string, replicas: number, pods: readonly PlacedPod[]): string[] {
  const hostOf = new Map(pods.map((p) => [p.metadata.name, p.status?.hostIP]));
  const out: string[] = [];
  for (let i = 0; i < replicas; i++) {
    const port = ports?.master[i];
    const host = hostOf.get(`${masterWorkload}-${i}`);
    if (port !== undefined && host) out.push(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  }
  return out;
}

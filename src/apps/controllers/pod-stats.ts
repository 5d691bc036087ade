// Reads GET /stats (JuiceFSStats) from every running pod of a runtime whose engine serves its status
// from its pods (EnginePlan.podStats: JuiceFSRuntime's worker and FUSE pods), at the pod's node
// address (status.hostIP) and the port its config file names (`portOf`). The fluid.io/engine-address
// annotation is only a fallback: on a real cluster the Node authorizer does not let a node agent
// write pod metadata, so it is not there.
import type { JuiceFSStats } from '../../api/juicefs-config.js';
import type { PodStatsSample } from '../../core/juicefs/juicefs-status.js';
import type { Pod } from '../../core/workloads/kube-object.js';
import { ENGINE_ADDRESS_ANNOTATION } from '../../core/workloads/names.js';

export async function fetchPodStats(pods: readonly Pod[], portOf: (p: Pod) => number | undefined): Promise<PodStatsSample[]> {
  const out: PodStatsSample[] = [];
  await Promise.all(pods.map(async (p) => {
    if (p.metadata.deletionTimestamp) return;
    const addr = p.metadata.annotations?.[ENGINE_ADDRESS_ANNOTATION] ?? '';
    const port = portOf(p) ?? (addr !== '' ? Number(addr.slice(addr.lastIndexOf(':') + 1)) : undefined);
    const host = p.status?.hostIP ?? (addr !== '' ? addr.slice(0, addr.lastIndexOf(':')) : undefined);
    if (port === undefined || !(port > 0) || host === undefined || host === '') return;
    try {
      const res = await fetch(`http://${host}:${port}/stats`, { signal: AbortSignal.timeout(25_000) });
      if (!res.ok) return;
      out.push({ node: p.status?.hostIP ?? p.spec.nodeName ?? host, stats: (await res.json()) as JuiceFSStats });
    } catch {
      // A pod that does not answer contributes nothing this round.
    }
  }));
  return out;
}

// Reads GET /stats (JuiceFSStats) from every running pod of a runtime whose engine serves its status
// from its pods (EnginePlan.podStats: JuiceFSRuntime's worker and FUSE pods), at the pod's node
// address (status.hostIP) and the port of its fluid.io/engine-address annotation.
import type { JuiceFSStats } from '../../api/juicefs-config.js';
import type { PodStatsSample } from '../../core/juicefs/juicefs-status.js';
import type { Pod } from '../../core/workloads/kube-object.js';
import { ENGINE_ADDRESS_ANNOTATION } from '../../core/workloads/names.js';

export async function fetchPodStats(pods: readonly Pod[]): Promise<PodStatsSample[]> {
  const out: PodStatsSample[] = [];
  await Promise.all(pods.map(async (p) => {
    const addr = p.metadata.annotations?.[ENGINE_ADDRESS_ANNOTATION];
    if (!addr || p.metadata.deletionTimestamp) return;
    const port = addr.slice(addr.lastIndexOf(':') + 1);
    const host = p.status?.hostIP ?? addr.slice(0, addr.lastIndexOf(':'));
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

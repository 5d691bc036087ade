// Where a cache runtime's masters are, and its engine credential, learned through the control plane:
// master i is at its pod's status.hostIP and the port allocated to ordinal i (core/reconcile/master-endpoints);
// the credential is Secret <runtime>-engine-token. Shared by `fluid master-info` and `fluid cache clean`.
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { R, runtimeResource } from '../../adapters/kube/resources.js';
import type { EngineCredential } from '../../adapters/rpc/engine-credential.js';
import { requireEngineCredential } from '../controllers/engine-credential-secret.js';
import { UsageError } from '../../core/errors.js';
import { masterEndpoints } from '../../core/reconcile/master-endpoints.js';
import { parsePorts } from '../../core/reconcile/port-allocation.js';
import { num, rec } from '../../core/reconcile/spec-view.js';
import type { KubeObject, Pod } from '../../core/workloads/kube-object.js';
import { PORTS_ANNOTATION, masterName, runtimeLabels } from '../../core/workloads/names.js';

/** Runtime kinds served by the cache engine (the ones with masters to ask). */
export const CACHE_RUNTIME_KINDS = ['AlluxioRuntime', 'JindoRuntime'] as const;

export interface RuntimeMasters {
  readonly kind: string;
  readonly addrs: string[];
  readonly credential: EngineCredential;
}

/** The masters of the cache runtime `name` in `namespace`; a UsageError names what is missing. */
export async function runtimeMasters(kc: KubeClient, namespace: string, name: string): Promise<RuntimeMasters> {
  let rt: KubeObject | undefined;
  for (const kind of CACHE_RUNTIME_KINDS) {
    rt = await kc.get<KubeObject>(runtimeResource(kind), namespace, name);
    if (rt) break;
  }
  if (!rt) throw new UsageError(`no runtime named "${name}" in namespace "${namespace}" (looked for ${CACHE_RUNTIME_KINDS.join(', ')})`);
  const role = runtimeLabels(name, 'master').role ?? '';
  const pods = await kc.list<Pod>(R.pod, namespace, { labelSelector: `role=${role}` });
  const replicas = Math.max(1, num(rec(rec(rt.spec)?.['master'])?.['replicas']) ?? 1);
  const addrs = masterEndpoints(parsePorts(rt.metadata.annotations?.[PORTS_ANNOTATION]), masterName(rt.kind, name), replicas, pods.items);
  if (addrs.length === 0) {
    throw new UsageError(`no placed master pods of ${rt.kind} "${name}" in namespace "${namespace}" (pods labelled role=${role} with a status.hostIP)`);
  }
  return { kind: rt.kind, addrs, credential: await requireEngineCredential(kc, namespace, name) };
}

// When NodeUnstageVolume takes the node's FUSE label away (Fluid's fuse.cleanPolicy):
//   OnDemand          the label goes once no pod on this node uses the dataset's claim any more,
//                     so the FUSE DaemonSet removes the FUSE pod from the node;
//   OnRuntimeDeleted  the label stays until the runtime is deleted (the runtime controller removes it).
// Fluid's default is OnDemand for JuiceFSRuntime and OnRuntimeDeleted for the other runtimes.
import type { DatasetRef } from './node-requests.js';

export type CleanPolicy = 'OnDemand' | 'OnRuntimeDeleted';

/** Runtime kind of a Dataset's status.runtimes[].type ("alluxio" -> AlluxioRuntime); undefined when unknown. */
export function runtimeKindOfType(type: string): string | undefined {
  const kinds: Record<string, string> = { alluxio: 'AlluxioRuntime', jindo: 'JindoRuntime', juicefs: 'JuiceFSRuntime', thin: 'ThinRuntime' };
  return kinds[type.toLowerCase()];
}

export function effectiveCleanPolicy(runtimeKind: string, specPolicy: unknown): CleanPolicy {
  if (specPolicy === 'OnDemand' || specPolicy === 'OnRuntimeDeleted') return specPolicy;
  return runtimeKind === 'JuiceFSRuntime' ? 'OnDemand' : 'OnRuntimeDeleted';
}

/** What unstage needs of a pod bound to this node. */
export interface NodePodUse {
  readonly namespace: string;
  readonly name: string;
  /** metadata.deletionTimestamp is set: the pod is going, its volumes are being torn down. */
  readonly deleting: boolean;
  readonly phase?: string;
  /** spec.volumes[].persistentVolumeClaim.claimName. */
  readonly claimNames: readonly string[];
}

/**
 * Pods that still use the dataset's claim (Fluid names the claim after the dataset, in its
 * namespace). A pod being deleted or finished (Succeeded/Failed) no longer counts.
 */
export function podsUsingDataset(pods: readonly NodePodUse[], dataset: DatasetRef): NodePodUse[] {
  return pods.filter((p) => p.namespace === dataset.namespace && !p.deleting && p.phase !== 'Succeeded' && p.phase !== 'Failed' && p.claimNames.includes(dataset.name));
}

export type UnstageAction =
  | { readonly kind: 'RemoveLabel' }
  | { readonly kind: 'KeepLabel'; readonly why: string };

export function unstageAction(policy: CleanPolicy, users: readonly NodePodUse[]): UnstageAction {
  if (policy === 'OnRuntimeDeleted') return { kind: 'KeepLabel', why: 'fuse.cleanPolicy is OnRuntimeDeleted' };
  if (users.length > 0) return { kind: 'KeepLabel', why: `still used by pod ${users.map((p) => `${p.namespace}/${p.name}`).join(', ')}` };
  return { kind: 'RemoveLabel' };
}

// The PersistentVolume binder's decision (kube-controller-manager's PV controller, embedded
// edition). Pure: given one claim and the volumes that exist, say what to write.
//   - a claim naming spec.volumeName binds to that volume once the volume's claimRef is the claim
//     (or empty): both go Bound, the claim gets the volume's capacity and access modes;
//   - a claim without spec.volumeName is provisioned: a hostPath volume "pvc-<claim uid>" holding
//     the directory the node agent maps the claim to (HOME/volumes/<ns>/<claim>/);
//   - a claim whose volume does not exist yet, or is bound to another claim, stays Pending.
import type { KubeObject } from '../workloads/kube-object.js';
import { arr, rec, str } from './spec-view.js';

export type VolumeBindingAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'pending'; readonly message: string }
  | { readonly kind: 'provision'; readonly volume: KubeObject }
  | {
    readonly kind: 'bind';
    readonly volumeName: string;
    /** claimRef to write on the volume (with the claim's uid), when it is not set yet. */
    readonly claimRef: Record<string, string> | undefined;
    readonly volumePhase: 'Bound' | undefined;
    readonly claimStatus: Record<string, unknown> | undefined;
  };

/** Host directory of a claim in embedded mode (the node agent maps PVC volumes here). */
export function claimDir(home: string, namespace: string, claim: string): string {
  return `${home}/volumes/${namespace}/${claim}`;
}

export function bindingFor(claim: KubeObject, volumes: readonly KubeObject[], home: string): VolumeBindingAction {
  if (claim.metadata.deletionTimestamp) return { kind: 'none' };
  const ns = claim.metadata.namespace ?? 'default';
  const spec = rec(claim.spec) ?? {};
  const volumeName = str(spec['volumeName']);
  if (!volumeName) {
    // Provisioning ends with spec.volumeName set on the claim; the next pass binds the pair.
    return { kind: 'provision', volume: provisioned(claim, provisionedName(claim), home) };
  }
  const pv = volumes.find((v) => v.metadata.name === volumeName);
  if (!pv || pv.metadata.deletionTimestamp) return { kind: 'pending', message: `waiting for PersistentVolume "${volumeName}"` };
  const pvSpec = rec(pv.spec) ?? {};
  const ref = rec(pvSpec['claimRef']);
  if (ref && (str(ref['name']) !== claim.metadata.name || str(ref['namespace']) !== ns || (str(ref['uid']) && str(ref['uid']) !== claim.metadata.uid))) {
    return { kind: 'pending', message: `PersistentVolume "${volumeName}" is bound to another claim` };
  }
  // A pre-bound volume (claimRef without uid, as the runtime controller writes it) stays as is.
  const claimRef = !ref
    ? { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claim.metadata.name, uid: claim.metadata.uid ?? '' }
    : undefined;
  const claimStatus = {
    phase: 'Bound',
    accessModes: arr(pvSpec['accessModes']),
    capacity: rec(pvSpec['capacity']) ?? {},
  };
  const cur = rec(claim.status) ?? {};
  const claimUpToDate = JSON.stringify({ phase: cur['phase'], accessModes: cur['accessModes'], capacity: cur['capacity'] }) === JSON.stringify(claimStatus);
  const volumeUpToDate = rec(pv.status)?.['phase'] === 'Bound';
  if (!claimRef && claimUpToDate && volumeUpToDate) return { kind: 'none' };
  return { kind: 'bind', volumeName, claimRef, volumePhase: volumeUpToDate ? undefined : 'Bound', claimStatus: claimUpToDate ? undefined : claimStatus };
}

/** Name of the volume provisioned for a claim (Kubernetes' "pvc-<uid>"). */
export function provisionedName(claim: KubeObject): string {
  return `pvc-${claim.metadata.uid ?? `${claim.metadata.namespace ?? 'default'}-${claim.metadata.name}`}`;
}

/** A provisioned volume whose claim is gone is deleted (reclaim policy Delete). */
export function orphanedVolume(volume: KubeObject, claims: readonly KubeObject[]): boolean {
  if (volume.metadata.annotations?.[PROVISIONED_BY] !== EMBEDDED_PROVISIONER || volume.metadata.deletionTimestamp) return false;
  const ref = rec(rec(volume.spec)?.['claimRef']);
  return !claims.some((c) => c.metadata.name === str(ref?.['name']) && c.metadata.namespace === str(ref?.['namespace']) && c.metadata.uid === str(ref?.['uid']));
}

const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const EMBEDDED_PROVISIONER = 'fluid-ts.io/embedded-local';

function provisioned(claim: KubeObject, name: string, home: string): KubeObject {
  const ns = claim.metadata.namespace ?? 'default';
  const spec = rec(claim.spec) ?? {};
  const requests = rec(rec(spec['resources'])?.['requests']) ?? {};
  const modes = arr(spec['accessModes']);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY]: EMBEDDED_PROVISIONER } },
    spec: {
      capacity: { storage: str(requests['storage']) ?? '1Gi' },
      accessModes: modes.length > 0 ? modes : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      ...(str(spec['storageClassName']) ? { storageClassName: str(spec['storageClassName']) } : {}),
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claim.metadata.name, uid: claim.metadata.uid ?? '' },
      hostPath: { path: claimDir(home, ns, claim.metadata.name), type: 'DirectoryOrCreate' },
    },
  };
}

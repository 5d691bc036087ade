// Kubernetes objects for one runtime (seed 003's shape): master StatefulSet, worker StatefulSet,
// fuse DaemonSet (node selector fluid.io/f-<ns>-<name>=true), the engine ConfigMap, and the
// PV <ns>-<name> / PVC <name> pair. Pure builders; owner references point at the runtime so
// deleting the runtime garbage-collects the workloads.
import type { RoleTemplate } from '../reconcile/runtime-engine.js';
import type { Affinity, ConfigMapLike, DaemonSet, KubeObject, OwnerReference, PodTemplate, StatefulSet } from './kube-object.js';
import { CSI_DRIVER, STORAGE_CLASS, configMapName, fuseName, fuseNodeLabel, masterName, pvName, runtimeLabels, workerName } from './names.js';

export interface RuntimeRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

export function ownerRef(rt: RuntimeRef): OwnerReference {
  return { apiVersion: rt.apiVersion, kind: rt.kind, name: rt.name, uid: rt.uid, controller: true, blockOwnerDeletion: true };
}

function podTemplate(labels: Record<string, string>, role: RoleTemplate, placement: { nodeSelector?: Record<string, string>; affinity?: Affinity }): PodTemplate {
  return {
    metadata: { labels, ...(role.annotations ? { annotations: { ...role.annotations } } : {}) },
    spec: {
      containers: [role.container],
      volumes: [...role.volumes],
      restartPolicy: 'Always',
      hostNetwork: true,
      // Engine pods never call the API server: no service account token is mounted into them.
      automountServiceAccountToken: false,
      ...placement,
    },
  };
}

/**
 * At most one pod of the group per node (Fluid's worker anti-affinity, seed 003; also the masters of
 * a Raft group, so losing one node loses one vote). The real kube-scheduler enforces it; embedded
 * mode has one node and places every pod there.
 */
function onePerNode(labels: Record<string, string>): Affinity {
  return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...labels } }, topologyKey: 'kubernetes.io/hostname' }] } };
}

export function statefulSet(rt: RuntimeRef, role: 'master' | 'worker', tpl: RoleTemplate): StatefulSet {
  const name = role === 'master' ? masterName(rt.kind, rt.name) : workerName(rt.kind, rt.name);
  const labels = runtimeLabels(rt.name, role);
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: rt.namespace, labels, ownerReferences: [ownerRef(rt)] },
    // Parallel: Raft masters must start together (none is Ready alone), and workers are independent.
    spec: { replicas: tpl.replicas, serviceName: name, podManagementPolicy: 'Parallel', selector: { matchLabels: labels }, template: podTemplate(labels, tpl, { affinity: onePerNode(labels), ...(tpl.nodeSelector ? { nodeSelector: { ...tpl.nodeSelector } } : {}) }) },
  };
}

export function fuseDaemonSet(rt: RuntimeRef, tpl: RoleTemplate): DaemonSet {
  const labels = runtimeLabels(rt.name, 'fuse');
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: fuseName(rt.kind, rt.name), namespace: rt.namespace, labels, ownerReferences: [ownerRef(rt)] },
    spec: { selector: { matchLabels: labels }, template: podTemplate(labels, tpl, { nodeSelector: { [fuseNodeLabel(rt.namespace, rt.name)]: 'true' } }) },
  };
}

export function engineConfigMap(rt: RuntimeRef, data: Readonly<Record<string, string>>): ConfigMapLike {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName(rt.name), namespace: rt.namespace, labels: { app: 'fluid-ts', release: rt.name }, ownerReferences: [ownerRef(rt)] },
    data: { ...data },
  };
}

/** PV capacity Fluid uses for dataset volumes (the cache is not a hard limit). */
export const PV_CAPACITY = '100Pi';

export function persistentVolume(rt: RuntimeRef, fluidPath: string, mountType: string, readOnly: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName(rt.namespace, rt.name),
      labels: { [`fluid.io/s-${rt.namespace}-${rt.name}`]: 'true', 'fluid.io/dataset-id': `${rt.namespace}-${rt.name}` },
      annotations: { CreatedBy: 'fluid' },
    },
    spec: {
      capacity: { storage: PV_CAPACITY },
      accessModes: [readOnly ? 'ReadOnlyMany' : 'ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: STORAGE_CLASS,
      claimRef: { namespace: rt.namespace, name: rt.name },
      csi: {
        driver: CSI_DRIVER,
        volumeHandle: pvName(rt.namespace, rt.name),
        volumeAttributes: { fluid_path: fluidPath, mount_type: mountType, runtime_name: rt.name, runtime_namespace: rt.namespace },
      },
    },
  };
}

export function persistentVolumeClaim(rt: RuntimeRef, readOnly: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: rt.name,
      namespace: rt.namespace,
      labels: { [`fluid.io/s-${rt.namespace}-${rt.name}`]: 'true', 'fluid.io/dataset-id': `${rt.namespace}-${rt.name}` },
      annotations: { CreatedBy: 'fluid' },
    },
    spec: {
      accessModes: [readOnly ? 'ReadOnlyMany' : 'ReadWriteMany'],
      resources: { requests: { storage: PV_CAPACITY } },
      storageClassName: STORAGE_CLASS,
      volumeName: pvName(rt.namespace, rt.name),
      selector: { matchLabels: { 'fluid.io/dataset-id': `${rt.namespace}-${rt.name}` } },
    },
  };
}

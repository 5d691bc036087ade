// Minimal structural views of the Kubernetes objects the orchestration layer builds and reads.
// Only the fields we use are typed; everything else passes through untouched.

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [extra: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string; defaultMode?: number };
  hostPath?: { path: string; type?: string };
  emptyDir?: { medium?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  projected?: { sources?: unknown[] };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  workingDir?: string;
}

/** A pod affinity term (the fields fluid-ts writes): pods matching the selector, per topology domain. */
export interface PodAffinityTerm {
  labelSelector: { matchLabels: Record<string, string> };
  topologyKey: string;
}

export interface Affinity {
  podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[] };
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  automountServiceAccountToken?: boolean;
  containers: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
  hostNetwork?: boolean;
  serviceAccountName?: string;
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: Record<string, unknown>;
  lastState?: Record<string, unknown>;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  startTime?: string;
  message?: string;
  reason?: string;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface StatefulSet extends KubeObject {
  spec: { replicas: number; serviceName: string; podManagementPolicy?: 'OrderedReady' | 'Parallel'; selector: { matchLabels: Record<string, string> }; template: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; currentReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}

export interface DaemonSet extends KubeObject {
  spec: { selector: { matchLabels: Record<string, string> }; template: PodTemplate };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberMisscheduled?: number;
  };
}

/** Ready condition of a pod, as the node agent reports it. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function ownedBy(obj: KubeObject, owner: { uid?: string }): boolean {
  return owner.uid !== undefined && (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.uid);
}

export interface ConfigMapLike extends KubeObject {
  data: Record<string, string>;
}

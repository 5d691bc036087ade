// Pods the embedded workload controllers create from StatefulSet and DaemonSet templates.
// StatefulSet pods are named <set>-<ordinal>; DaemonSet pods <set>-<5 char suffix>. The
// suffix is an input (the caller draws it) so this stays pure.
import type { DaemonSet, OwnerReference, Pod, StatefulSet } from './kube-object.js';

function ownerOf(set: StatefulSet | DaemonSet): OwnerReference {
  return { apiVersion: 'apps/v1', kind: set.kind, name: set.metadata.name, uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Hash of the template, recorded on pods so a changed template replaces them. */
export function templateHash(set: StatefulSet | DaemonSet): string {
  const text = JSON.stringify(set.spec.template);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export const TEMPLATE_HASH_LABEL = 'controller-revision-hash';

function podFrom(set: StatefulSet | DaemonSet, name: string, nodeName: string, extraLabels: Record<string, string>): Pod {
  const tpl = set.spec.template;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace ?? 'default',
      labels: { ...tpl.metadata.labels, ...extraLabels, [TEMPLATE_HASH_LABEL]: templateHash(set) },
      annotations: { ...(tpl.metadata.annotations ?? {}) },
      ownerReferences: [ownerOf(set)],
    },
    spec: { ...structuredCloneJson(tpl.spec), nodeName },
  };
}

export function statefulSetPod(set: StatefulSet, ordinal: number, nodeName: string): Pod {
  const name = `${set.metadata.name}-${ordinal}`;
  return podFrom(set, name, nodeName, { 'statefulset.kubernetes.io/pod-name': name });
}

export function daemonSetPod(set: DaemonSet, suffix: string, nodeName: string): Pod {
  return podFrom(set, `${set.metadata.name}-${suffix}`, nodeName, {});
}

/** Ordinal of a StatefulSet pod name, or undefined if the name does not belong to the set. */
export function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

/** True if every key of `selector` is on `labels` with the same value. */
export function selectorMatches(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

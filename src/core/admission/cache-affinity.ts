// Cache-affinity scheduling: the mutation Fluid's webhook applies to a pod that mounts a dataset's
// PVC, so that the kube-scheduler places it on the nodes that cache the dataset. Both the
// MutatingAdmissionWebhook (`fluid webhook`) and the embedded API server's own admission run this
// function; they differ only in how they look up the namespace and the claims.
//
// Contract, for a pod in a namespace labelled fluid.io/enable-injection=true that mounts the PVC of
// dataset <ns>/<name> (the claim carries fluid.io/dataset-id=<ns>-<name> and is named <name>):
//   - preferred node affinity, weight 100, to nodes labelled fluid.io/s-<ns>-<name>=true;
//   - instead a required node affinity when the pod carries fluid.io/dataset.<name>.sched=required
//     (the expression is added to every existing nodeSelectorTerm, since terms are ORed).
// Anything else is left untouched. Idempotent: a pod that already carries a term is not given it
// twice. Pure: no I/O, never mutates its input.
import { cacheNodeLabel } from '../workloads/names.js';

/** The namespace label that turns the mutation on for a namespace's pods. */
export const INJECTION_LABEL = 'fluid.io/enable-injection';
/** Weight of the preferred term (Fluid's default). */
export const PREFERRED_WEIGHT = 100;

export interface DatasetRef {
  readonly namespace: string;
  readonly name: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}
export interface Affinity {
  nodeAffinity?: NodeAffinity;
  [other: string]: unknown;
}

/** One RFC 6902 operation of an AdmissionReview's JSONPatch response. */
export interface JsonPatchOp {
  readonly op: 'add';
  readonly path: string;
  readonly value: unknown;
}

export type CacheAffinityResult =
  | { readonly changed: false; readonly reason: string }
  | { readonly changed: true; readonly affinity: Affinity; readonly datasets: readonly DatasetRef[]; readonly patch: readonly JsonPatchOp[] };

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** The label asking for a required (not preferred) affinity to dataset `name`'s cache nodes. */
export function requiredSchedLabel(datasetName: string): string {
  return `fluid.io/dataset.${datasetName}.sched`;
}

/** Whether injection is on for a namespace with these labels. */
export function injectionEnabled(namespaceLabels: Readonly<Record<string, string>> | undefined): boolean {
  return namespaceLabels?.[INJECTION_LABEL] === 'true';
}

/** The claim names of the pod's persistentVolumeClaim volumes, in volume order, without repeats. */
export function podClaimNames(pod: unknown): string[] {
  const spec = isRecord(pod) && isRecord(pod['spec']) ? pod['spec'] : {};
  const volumes = Array.isArray(spec['volumes']) ? spec['volumes'] : [];
  const out: string[] = [];
  for (const v of volumes) {
    const pvc = isRecord(v) ? v['persistentVolumeClaim'] : undefined;
    const claim = isRecord(pvc) ? pvc['claimName'] : undefined;
    if (typeof claim === 'string' && claim !== '' && !out.includes(claim)) out.push(claim);
  }
  return out;
}

/**
 * The dataset whose PVC this is, or undefined: fluid-ts names a dataset's claim after the dataset
 * and labels it fluid.io/dataset-id=<ns>-<name> (core/workloads/templates.ts).
 */
export function datasetOfClaim(claim: unknown): DatasetRef | undefined {
  if (!isRecord(claim) || !isRecord(claim['metadata'])) return undefined;
  const meta = claim['metadata'];
  const name = meta['name'];
  const namespace = meta['namespace'];
  const labels = isRecord(meta['labels']) ? meta['labels'] : {};
  if (typeof name !== 'string' || typeof namespace !== 'string') return undefined;
  return labels['fluid.io/dataset-id'] === `${namespace}-${name}` ? { namespace, name } : undefined;
}

function sameRequirement(a: NodeSelectorRequirement, b: NodeSelectorRequirement): boolean {
  return a.key === b.key && a.operator === b.operator && JSON.stringify(a.values ?? []) === JSON.stringify(b.values ?? []);
}

function hasTerm(term: NodeSelectorTerm, req: NodeSelectorRequirement): boolean {
  return Array.isArray(term.matchExpressions) && term.matchExpressions.some((e) => isRecord(e) && sameRequirement(e, req));
}

/**
 * The mutation for `pod` (a Pod object as the API gives it). `datasets` maps each claim name of the
 * pod that is a dataset's PVC to its dataset (the caller looked the claims up); other claims are
 * absent. The result says why nothing changed, or gives the new `spec.affinity` and its JSONPatch.
 */
export function cacheAffinity(pod: unknown, namespaceLabels: Readonly<Record<string, string>> | undefined,
  datasets: ReadonlyMap<string, DatasetRef>): CacheAffinityResult {
  if (!isRecord(pod) || !isRecord(pod['spec'])) return { changed: false, reason: 'not a pod' };
  if (!injectionEnabled(namespaceLabels)) return { changed: false, reason: `namespace is not labelled ${INJECTION_LABEL}=true` };
  const used = podClaimNames(pod).map((c) => datasets.get(c)).filter((d): d is DatasetRef => d !== undefined);
  if (used.length === 0) return { changed: false, reason: 'the pod uses no dataset' };
  const meta = isRecord(pod['metadata']) ? pod['metadata'] : {};
  const podLabels = isRecord(meta['labels']) ? meta['labels'] : {};
  const spec = pod['spec'];
  const affinity: Affinity = isRecord(spec['affinity']) ? clone(spec['affinity']) : {};
  const node: NodeAffinity = isRecord(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  // Malformed members are replaced (the API server's validation would reject them anyway).
  if (!isRecord(node.requiredDuringSchedulingIgnoredDuringExecution) || !Array.isArray(node.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)) {
    delete node.requiredDuringSchedulingIgnoredDuringExecution;
  } else {
    node.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = node.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.filter(isRecord);
  }
  if (!Array.isArray(node.preferredDuringSchedulingIgnoredDuringExecution)) delete node.preferredDuringSchedulingIgnoredDuringExecution;
  let changed = false;
  for (const d of used) {
    const req: NodeSelectorRequirement = { key: cacheNodeLabel(d.namespace, d.name), operator: 'In', values: ['true'] };
    if (podLabels[requiredSchedLabel(d.name)] === 'required') {
      const required = node.requiredDuringSchedulingIgnoredDuringExecution ?? { nodeSelectorTerms: [] };
      if (required.nodeSelectorTerms.length === 0) required.nodeSelectorTerms.push({});
      for (const term of required.nodeSelectorTerms) {
        if (hasTerm(term, req)) continue;
        term.matchExpressions = [...(Array.isArray(term.matchExpressions) ? term.matchExpressions : []), clone(req)];
        changed = true;
      }
      node.requiredDuringSchedulingIgnoredDuringExecution = required;
    } else {
      const preferred = node.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (!preferred.some((p) => isRecord(p) && p.weight === PREFERRED_WEIGHT && isRecord(p.preference) && hasTerm(p.preference, req))) {
        preferred.push({ weight: PREFERRED_WEIGHT, preference: { matchExpressions: [req] } });
        changed = true;
      }
      node.preferredDuringSchedulingIgnoredDuringExecution = preferred;
    }
  }
  if (!changed) return { changed: false, reason: 'the pod already carries the cache affinity' };
  affinity.nodeAffinity = node;
  // "add" on an existing member replaces it (RFC 6902 4.1), so one op covers both cases.
  return { changed: true, affinity, datasets: used, patch: [{ op: 'add', path: '/spec/affinity', value: affinity }] };
}

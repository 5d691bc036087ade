// The scale subresource of a custom resource (autoscaling/v1 Scale), as kube-apiserver serves it
// for a CRD with subresources.scale: spec.replicas / status.replicas / status.selector are read
// from and written to the JSON paths the kind declares. Pure.
import type { ScaleSubresource } from '../../api/kind.js';
import { FluidError } from '../errors.js';

export interface ScaleObject {
  readonly apiVersion: 'autoscaling/v1';
  readonly kind: 'Scale';
  readonly metadata: Record<string, unknown>;
  readonly spec: { readonly replicas: number };
  readonly status: { readonly replicas: number; readonly selector?: string };
}

/** Thrown for a Scale body whose spec.replicas is not a non-negative integer. */
export class ScaleError extends FluidError {
  constructor(readonly field: string, message: string) {
    super('Invalid', message);
  }
}

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter((s) => s !== '');
}

function read(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const s of segments(path)) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}

/** The Scale view of `obj` (replicas default to 0 when unset, as kube does). */
export function toScale(obj: { readonly metadata: Readonly<Record<string, unknown>> }, s: ScaleSubresource): ScaleObject {
  const m = obj.metadata;
  const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : 0);
  const selector = s.labelSelectorPath ? read(obj, s.labelSelectorPath) : undefined;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: Object.fromEntries(['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'].filter((k) => m[k] !== undefined).map((k) => [k, m[k]])),
    spec: { replicas: int(read(obj, s.specReplicasPath)) },
    status: { replicas: int(read(obj, s.statusReplicasPath)), ...(typeof selector === 'string' ? { selector } : {}) },
  };
}

/** spec.replicas of a Scale body, validated. */
export function replicasOf(scale: unknown): number {
  const r = read(scale, '.spec.replicas');
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) {
    throw new ScaleError('spec.replicas', `spec.replicas: Invalid value: ${JSON.stringify(r ?? null)}: must be a non-negative integer`);
  }
  return r;
}

/** The merge patch writing `replicas` at the kind's spec replicas path. */
export function replicasPatch(s: ScaleSubresource, replicas: number): Record<string, unknown> {
  return segments(s.specReplicasPath).reduceRight<unknown>((inner, key) => ({ [key]: inner }), replicas) as Record<string, unknown>;
}

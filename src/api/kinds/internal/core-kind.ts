// Factory for the core Kubernetes kinds the API server hosts. Their schemas are permissive
// (the real API server's validation is out of scope); columns mimic kubectl's server-side printers.
import type { TSchema } from '@sinclair/typebox';
import type { KindDefinition, PrinterColumn, SemanticResult } from '../../kind.js';
import { ageOf } from '../human-duration.js';
import { dig } from './checks.js';

export interface CoreKindOptions {
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly plural: string;
  readonly shortNames?: readonly string[];
  /** Discovery categories; 'all' makes `kubectl get all` include the kind (pods, statefulsets, daemonsets). */
  readonly categories?: readonly string[];
  readonly namespaced: boolean;
  readonly statusSubresource?: boolean;
  readonly schema: TSchema;
  readonly columns: readonly PrinterColumn[];
  readonly normalize?: (obj: Record<string, unknown>) => Record<string, unknown>;
  readonly validate?: (obj: unknown) => SemanticResult;
  readonly secretFields?: readonly string[];
}

/** AGE column computed from metadata.creationTimestamp. */
export const ageColumn: PrinterColumn = {
  name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp',
  value: (obj, now) => ageOf(dig(obj, 'metadata', 'creationTimestamp'), now),
};

export function coreKind(o: CoreKindOptions): KindDefinition {
  const def: KindDefinition = {
    group: o.group ?? '',
    version: o.version ?? 'v1',
    kind: o.kind,
    listKind: `${o.kind}List`,
    plural: o.plural,
    singular: o.kind.toLowerCase(),
    shortNames: o.shortNames ?? [],
    categories: o.categories ?? [],
    namespaced: o.namespaced,
    statusSubresource: o.statusSubresource ?? false,
    schema: o.schema,
    printerColumns: o.columns,
    validate: o.validate ?? ((): SemanticResult => ({ errors: [], warnings: [] })),
  };
  return {
    ...def,
    ...(o.normalize === undefined ? {} : { normalize: o.normalize }),
    ...(o.secretFields === undefined ? {} : { secretFields: o.secretFields }),
  };
}

/** Cell helpers; every one returns '' for a missing value and never throws. */
export function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
export function int(v: unknown): number | string {
  return typeof v === 'number' ? v : '';
}
export function countKeys(...maps: unknown[]): number {
  let n = 0;
  for (const m of maps) if (typeof m === 'object' && m !== null && !Array.isArray(m)) n += Object.keys(m).length;
  return n;
}
export function labelSet(v: unknown): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return '<none>';
  const parts = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, val]) => `${k}=${str(val)}`);
  return parts.length === 0 ? '<none>' : parts.join(',');
}
const ACCESS_MODES: Readonly<Record<string, string>> = {
  ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP',
};
/** ["ReadWriteMany"] -> "RWX", as kubectl prints access modes. */
export function accessModes(v: unknown): string {
  if (!Array.isArray(v)) return '';
  return v.map((m) => ACCESS_MODES[str(m)] ?? str(m)).join(',');
}

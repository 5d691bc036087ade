// Kubernetes field selectors (the `fieldSelector` query parameter): `path=value`,
// `path==value`, `path!=value`, comma-separated and ANDed. Which paths are allowed depends on
// the kind (see `supportedFieldPaths`); others are rejected as kube does.
import { SelectorError } from './label-selector.js';

export interface FieldRequirement {
  readonly path: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export type FieldSelector = readonly FieldRequirement[];

/** Field paths usable in selectors for a kind (beyond metadata.name / metadata.namespace). */
export function supportedFieldPaths(group: string, kind: string): readonly string[] {
  const common = ['metadata.name', 'metadata.namespace'];
  if (group !== '') return common;
  switch (kind) {
    case 'Pod': return [...common, 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'];
    case 'Event': return [...common, 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'];
    case 'Secret': return [...common, 'type'];
    case 'Namespace': return [...common, 'status.phase'];
    case 'Node': return [...common, 'spec.unschedulable'];
    case 'PersistentVolumeClaim': return [...common, 'status.phase'];
    default: return common;
  }
}

export function parseFieldSelector(selector: string, allowed: readonly string[]): FieldSelector {
  const sel = selector.trim();
  if (sel === '') return [];
  return sel.split(',').map((raw) => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw new SelectorError(`invalid field selector: "${raw}": expected <path>=<value> or <path>!=<value>`);
    const path = m[1] ?? '';
    if (!allowed.includes(path)) {
      // Kinds with their own field labels (pods, events, ...) answer as their conversion function does;
      // the others with the generic list of the two metadata fields.
      throw new SelectorError(allowed.length > 2 ? `field label not supported: ${path}` : `"${path}" is not a known field selector: only ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
    return { path, op: m[2] === '!=' ? '!=' : '=', value: m[3] ?? '' };
  });
}

function lookup(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return '';
  // Event `source` selects on source.component, as kube does.
  if (typeof cur === 'object') return typeof (cur as { component?: unknown }).component === 'string' ? String((cur as { component: string }).component) : '';
  return String(cur as string | number | boolean);
}

export function matchesFields(selector: FieldSelector, obj: unknown): boolean {
  return selector.every((r) => (lookup(obj, r.path) === r.value) === (r.op === '='));
}

// Query-parameter parsing for resource requests; bad values are 400s naming the parameter.
import type { KindDefinition } from '../../api/kind.js';
import { parseFieldSelector, supportedFieldPaths, type FieldSelector } from '../../core/patch/field-selector.js';
import { parseLabelSelector, SelectorError, type LabelSelector } from '../../core/patch/label-selector.js';
import type { FieldValidation, IncludeObject } from './kinds-port.js';
import type { DeleteOptions } from './resource-service.js';
import { badRequest } from './status-errors.js';

export function selectors(def: KindDefinition, q: URLSearchParams): { labels: LabelSelector; fields: FieldSelector } {
  try {
    return {
      labels: parseLabelSelector(q.get('labelSelector') ?? ''),
      fields: parseFieldSelector(q.get('fieldSelector') ?? '', supportedFieldPaths(def.group, def.kind)),
    };
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
}

/** Server default is Warn, as in kube-apiserver. */
export function fieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: invalid value "${v}": expected one of Strict, Warn, Ignore`);
}

export function dryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.length === 0) return false;
  if (v.every((x) => x === 'All')) return true;
  throw badRequest(`dryRun: unsupported value(s) ${JSON.stringify(v)}: only "All" is supported`);
}

function integer(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?[0-9]+$/.test(v)) throw badRequest(`${name}: invalid value "${v}": expected an integer`);
  return Number(v);
}

export function timeoutSeconds(q: URLSearchParams): number {
  return integer(q, 'timeoutSeconds') ?? 0;
}

export function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: invalid value "${v}": expected one of None, Metadata, Object`);
}

/** DeleteOptions from the query string and (optionally) a JSON body; the query wins. */
export function deleteOptions(q: URLSearchParams, body: unknown): DeleteOptions {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const grace = integer(q, 'gracePeriodSeconds') ?? (typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : undefined);
  if (grace !== undefined && grace < 0) throw badRequest('gracePeriodSeconds: must be >= 0');
  let policy = q.get('propagationPolicy') ?? (typeof b.propagationPolicy === 'string' ? b.propagationPolicy : undefined);
  if (policy === undefined && b.orphanDependents === true) policy = 'Orphan';
  if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    throw badRequest(`propagationPolicy: unsupported value "${policy}": expected Orphan, Background or Foreground`);
  }
  const pre = (typeof b.preconditions === 'object' && b.preconditions !== null ? b.preconditions : {}) as Record<string, unknown>;
  return {
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(policy !== undefined ? { propagationPolicy: policy } : {}),
    preconditions: {
      ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}),
      ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}),
    },
  };
}

/** True when the Accept header asks for a meta.k8s.io/v1 Table (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const p = part.replace(/\s/g, '');
    return p.includes('as=Table') && p.includes('g=meta.k8s.io') && p.includes('v=v1') && !p.includes('v=v1beta1');
  });
}

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

/**
 * A boolean query parameter as kube-apiserver decodes it (apimachinery's query conversion, not
 * strconv.ParseBool): absent is false; "0" or any case of "false" is false; every other value,
 * the empty string included ("?watch"), is true. So watch=True (the Python client) is a watch.
 */
export function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** An int64 query parameter (Go's strconv.ParseInt base 10): a 400 naming the parameter otherwise. */
function integer(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?[0-9]+$/.test(v)) throw badRequest(`${name}: invalid value "${v}": strconv.ParseInt: parsing "${v}": invalid syntax`);
  const big = BigInt(v);
  if (big > INT64_MAX || big < INT64_MIN) throw badRequest(`${name}: invalid value "${v}": strconv.ParseInt: parsing "${v}": value out of range`);
  // Beyond 2^53 the exact value no longer matters to any caller (limits and timeouts clamp).
  return Number(big);
}

/** Longest watch the server holds open (Node timers hold at most 2^31-1 ms, about 24.8 days). */
export const MAX_WATCH_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** 0 = the server's default; larger values than MAX_WATCH_TIMEOUT_SECONDS are clamped to it. */
export function timeoutSeconds(q: URLSearchParams): number {
  const v = integer(q, 'timeoutSeconds') ?? 0;
  return Math.min(Math.max(v, 0), MAX_WATCH_TIMEOUT_SECONDS);
}

/** `limit`: undefined or <= 0 is no limit (as in kube). */
export function limit(q: URLSearchParams): number | undefined {
  const v = integer(q, 'limit');
  return v === undefined || v <= 0 ? undefined : v;
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

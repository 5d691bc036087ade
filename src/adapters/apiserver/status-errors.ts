// Kubernetes Status error bodies. Every failure the server reports is an ApiError; its
// message is worded as kube-apiserver words it, because kubectl prints these verbatim (and, for
// Invalid, rebuilds "The <Kind> "<name>" is invalid: ..." from details.causes).
import type { FieldError } from '../../api/field-error.js';
import type { KindDefinition } from '../../api/kind.js';
import { FluidError, formatFieldError } from '../../core/errors.js';

export type StatusReason =
  | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest' | 'Unauthorized' | 'Forbidden'
  | 'MethodNotAllowed' | 'RequestEntityTooLarge' | 'Gone' | 'Expired' | 'UnsupportedMediaType' | 'NotAcceptable'
  | 'InternalError';

export interface StatusCause { readonly reason?: string; readonly message: string; readonly field?: string }
export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
}

export class ApiError extends FluidError {
  readonly httpStatus: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;
  constructor(httpStatus: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(reason, message);
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.details = details;
  }
}

export function statusBody(err: ApiError): Record<string, unknown> {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: err.message, reason: err.reason, ...(err.details ? { details: err.details } : {}), code: err.httpStatus,
  };
}

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** "datasets.data.fluid.io" / "pods": how kube names a resource in messages. */
export function qualifiedResource(def: Pick<KindDefinition, 'plural' | 'group'>): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

export function notFound(def: Pick<KindDefinition, 'plural' | 'group'>, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(def)} "${name}" not found`, { name, group: def.group, kind: def.plural });
}

export function alreadyExists(def: Pick<KindDefinition, 'plural' | 'group'>, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(def)} "${name}" already exists`, { name, group: def.group, kind: def.plural });
}

export function conflict(def: Pick<KindDefinition, 'plural' | 'group'>, name: string): ApiError {
  return new ApiError(409, 'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: def.group, kind: def.plural });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** A field error as a Status cause; with `redact`, submitted values are not echoed (Secrets). */
function toCause(e: FieldError, redact: boolean): StatusCause {
  const safe: FieldError = redact && e.value !== undefined ? { ...e, value: '<redacted>' } : e;
  const full = formatFieldError(safe);
  const message = full.startsWith(`${e.path}: `) ? full.slice(e.path.length + 2) : full;
  return { reason: e.type, message, field: e.path };
}

/**
 * 422 Invalid, e.g. `Dataset.data.fluid.io "x" is invalid: spec.mounts[0].mountPoint: Invalid value: ...`.
 * `redact` hides submitted values (used for Secrets, whose values must never be echoed).
 */
export function invalid(def: Pick<KindDefinition, 'kind' | 'group'>, name: string, errors: readonly FieldError[], redact: boolean): ApiError {
  const causes = errors.map((e) => toCause(e, redact));
  const parts = causes.map((c) => `${c.field ?? ''}: ${c.message}`);
  const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  const gk = def.group ? `${def.kind}.${def.group}` : def.kind;
  return new ApiError(422, 'Invalid', `${gk} "${name}" is invalid: ${joined}`, { name, group: def.group, kind: def.kind, causes });
}

/**
 * Strict field validation failure, worded as kube's strict decoding error (400 BadRequest), e.g.
 * `ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.a", unknown field "foo"`.
 */
/**
 * Strict field validation failure of a PATCH: kube-apiserver's patcher reports it as a 422 against the
 * field "patch" with the patched object as the invalid value, e.g.
 * ` "" is invalid: patch: Invalid value: "{...}": strict decoding error: unknown field "spec.bogus"`.
 */
export function strictPatch(invalidValue: string, issues: readonly string[]): ApiError {
  const message = `Invalid value: ${JSON.stringify(invalidValue)}: strict decoding error: ${issues.join(', ')}`;
  return new ApiError(422, 'Invalid', ` "" is invalid: patch: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
}

export function strictDecoding(def: Pick<KindDefinition, 'kind' | 'version'>, issues: readonly string[]): ApiError {
  return new ApiError(400, 'BadRequest', `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${issues.join(', ')}`);
}

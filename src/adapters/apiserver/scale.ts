// The /scale subresource of kinds that declare one (KindDefinition.scaleSubresource): GET returns
// the autoscaling/v1 Scale view; PUT and PATCH change spec replicas through the ordinary patch
// path (admission, resourceVersion, watch events all apply). What `kubectl scale` uses.
import type { KindDefinition, ScaleSubresource } from '../../api/kind.js';
import { applyJsonPatch } from '../../core/patch/json-patch.js';
import type { JsonValue } from '../../core/patch/json-value.js';
import { applyMergePatch } from '../../core/patch/merge-patch.js';
import { ScaleError, replicasOf, replicasPatch, toScale, type ScaleObject } from '../../core/patch/scale.js';
import type { PatchType, RequestContext, ResourceService } from './resource-service.js';
import { ApiError } from './status-errors.js';

export interface ScaleRequest {
  readonly def: KindDefinition;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly method: string;
  /** Decoded body (PUT: a Scale; PATCH: the patch). */
  readonly body?: unknown;
  readonly patchType?: PatchType;
  readonly ctx: () => RequestContext;
}

function invalid(def: KindDefinition, name: string, err: ScaleError): ApiError {
  return new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: ${err.message}`, { name, group: def.group, kind: def.plural, causes: [{ reason: 'FieldValueInvalid', message: err.message, field: err.field }] });
}

export function serveScale(service: ResourceService, r: ScaleRequest): ScaleObject {
  const s: ScaleSubresource | undefined = r.def.scaleSubresource;
  if (!s) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${r.def.plural} has no scale subresource)`);
  const current = toScale(service.get(r.def, r.namespace, r.name) as never, s);
  if (r.method === 'GET') return current;
  let desired: unknown;
  if (r.method === 'PUT') desired = r.body;
  else if (r.method === 'PATCH') {
    desired = r.patchType === 'json'
      ? applyJsonPatch(current as unknown as JsonValue, r.body)
      : applyMergePatch(current as unknown as JsonValue, r.body as JsonValue);
  } else {
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${r.method} ${r.def.plural}/scale`);
  }
  let replicas: number;
  try {
    replicas = replicasOf(desired);
  } catch (err) {
    if (err instanceof ScaleError) throw invalid(r.def, r.name, err);
    throw err;
  }
  // A Scale carrying a resourceVersion is a precondition on the object, as in kube-apiserver.
  const rv = (desired as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
  const patch = { ...replicasPatch(s, replicas), ...(typeof rv === 'string' && rv !== '' ? { metadata: { resourceVersion: rv } } : {}) };
  const updated = service.patch(r.def, r.namespace, r.name, 'merge', patch, r.ctx(), false);
  return toScale(updated as never, s);
}

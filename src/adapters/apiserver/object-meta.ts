// Server-owned metadata: identity, timestamps, generation, and the checks kube applies to
// the type and object metadata of a request body before admission.
import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../api/field-error.js';
import type { KindDefinition } from '../../api/kind.js';
import { jsonEqual } from '../../core/patch/json-value.js';
import type { KubeObject } from '../store/object-store.js';
import { apiVersionOf } from './kind-registry.js';
import { badRequest } from './status-errors.js';

export { kubeTime } from '../../core/workloads/kube-time.js';

export function newUid(): string {
  return randomUUID();
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateSuffix(random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(random() * GENERATE_ALPHABET.length)] ?? 'x';
  return s;
}

/** Checks the body is an object whose apiVersion/kind (when given) match the URL; fills them when absent. */
export function checkTypeMeta(def: KindDefinition, body: unknown): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`the request body must be a JSON object of kind ${def.kind}`);
  }
  const obj = { ...(body as Record<string, unknown>) };
  const want = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind}) of ${want} ${def.plural}`);
  }
  const meta = obj.metadata ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw badRequest('metadata must be an object');
  return { ...obj, apiVersion: want, kind: def.kind, metadata: { ...(meta as Record<string, unknown>) } };
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** kube's name rules: Namespaces are DNS-1123 labels, everything else DNS-1123 subdomains. */
export function validateName(def: KindDefinition, name: string): FieldError[] {
  if (def.kind === 'Namespace' && def.group === '') {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return [{ path: 'metadata.name', type: 'FieldValueInvalid', value: name, message: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" }];
    }
    return [];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [{ path: 'metadata.name', type: 'FieldValueInvalid', value: name, message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" }];
  }
  return [];
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return !jsonEqual(strip(a), strip(b));
}

/** Equal apart from metadata.resourceVersion (a no-op write is not stored). */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return jsonEqual(JSON.parse(JSON.stringify(strip(a))), JSON.parse(JSON.stringify(strip(b))));
}

export function finalizersOf(o: KubeObject): string[] {
  const f = o.metadata.finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

export interface OwnerRef { readonly uid: string; readonly kind?: string; readonly name?: string }

export function ownerRefsOf(o: KubeObject): OwnerRef[] {
  const r = o.metadata.ownerReferences;
  if (!Array.isArray(r)) return [];
  return r.filter((x): x is OwnerRef => typeof x === 'object' && x !== null && typeof (x as { uid?: unknown }).uid === 'string');
}

// Admission of one object of a known kind: defaults, structural schema, unknown fields, the
// kind's normalisation and semantic checks. Pure: never mutates its input, never throws, no I/O.
// Metadata is checked loosely; the API server owns metadata semantics (uid, resourceVersion, ...).
import { Value } from '@sinclair/typebox/value';
import type { KindDefinition } from '../../api/kind.js';
import type { FieldError } from '../../api/field-error.js';
import { findUnknownFields } from './internal/unknown-fields.js';
import { isRecord, type JsonSchema } from './internal/schema-walk.js';
import { schemaErrors } from './internal/schema-errors.js';
import { registerFormats } from './internal/formats.js';
import { metadataSyntaxErrors, unknownMetadataFields } from './internal/object-meta.js';

registerFormats();

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface AdmitOptions {
  /** Kubernetes fieldValidation: Strict rejects unknown fields, Warn prunes with a warning, Ignore prunes silently. */
  readonly fieldValidation: FieldValidation;
}

export type AdmitResult =
  | { ok: true; object: Record<string, unknown>; warnings: string[] }
  | { ok: false; errors: FieldError[]; warnings: string[] };

export function admit(def: KindDefinition, obj: unknown, opts: AdmitOptions): AdmitResult {
  try {
    return admitUnsafe(def, obj, opts);
  } catch (e) {
    // A bug or an exotic input (cycles, getters): report it as an invalid object, never throw.
    return { ok: false, errors: [{ path: '<root>', type: 'FieldValueInvalid', message: `object could not be admitted: ${e instanceof Error ? e.message : String(e)}` }], warnings: [] };
  }
}

function admitUnsafe(def: KindDefinition, obj: unknown, opts: AdmitOptions): AdmitResult {
  if (!isRecord(obj)) {
    return { ok: false, errors: [{ path: '<root>', type: 'FieldValueInvalid', value: describe(obj), message: `expected a JSON object of kind ${def.kind}` }], warnings: [] };
  }
  const schema = def.schema as unknown as JsonSchema;
  const warnings: string[] = [];
  const errors: FieldError[] = [];
  let copy = structuredClone(obj);

  const prune = opts.fieldValidation !== 'Strict';
  // Sorted: a stable order whatever the key order of the input.
  const unknown = [...unknownMetadataFields(copy['metadata'], prune), ...findUnknownFields(schema, copy, prune)];
  for (const path of unknown.sort()) {
    if (opts.fieldValidation === 'Strict') errors.push({ path, type: 'FieldValueUnknown', message: 'field not declared in schema' });
    else if (opts.fieldValidation === 'Warn') warnings.push(`unknown field "${path}"`);
  }

  copy = Value.Default(def.schema, copy) as Record<string, unknown>;
  // The schema judges the object as sent (plus defaults); normalisation then shapes what is stored.
  errors.push(...typeMetaErrors(def, copy), ...metadataErrors(copy), ...metadataSyntaxErrors(copy['metadata']), ...schemaErrors(schema, copy));
  if (def.normalize) copy = def.normalize(copy);

  const semantic = def.validate(copy);
  errors.push(...semantic.errors);
  warnings.push(...semantic.warnings);

  if (errors.length > 0) return { ok: false, errors: redact(def, errors), warnings };
  return { ok: true, object: copy, warnings };
}

function typeMetaErrors(def: KindDefinition, obj: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const want = def.group === '' ? def.version : `${def.group}/${def.version}`;
  const apiVersion = obj['apiVersion'];
  if (apiVersion !== undefined && apiVersion !== want) {
    errors.push({ path: 'apiVersion', type: 'FieldValueInvalid', value: apiVersion, message: `must be ${want}` });
  }
  const kind = obj['kind'];
  if (kind !== undefined && kind !== def.kind) {
    errors.push({ path: 'kind', type: 'FieldValueInvalid', value: kind, message: `must be ${def.kind}` });
  }
  return errors;
}

/** Loose metadata: a name (or generateName); the schema checks labels/annotations are string maps. */
function metadataErrors(obj: Record<string, unknown>): FieldError[] {
  const meta = obj['metadata'];
  if (meta === undefined) return [{ path: 'metadata.name', type: 'FieldValueRequired', message: 'name or generateName is required' }];
  if (!isRecord(meta)) return []; // the schema reports the type
  const name = meta['name'];
  const gen = meta['generateName'];
  const hasName = typeof name === 'string' && name !== '';
  const hasGen = typeof gen === 'string' && gen !== '';
  if (!hasName && !hasGen) return [{ path: 'metadata.name', type: 'FieldValueRequired', message: 'name or generateName is required' }];
  return [];
}

/** Errors at or under a secret field keep their path but never the value. */
function redact(def: KindDefinition, errors: FieldError[]): FieldError[] {
  const secret = def.secretFields ?? [];
  if (secret.length === 0) return errors;
  const isSecret = (path: string): boolean => secret.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`));
  return errors.map((e) => (isSecret(e.path) && e.value !== undefined ? { ...e, value: '[redacted]' } : e));
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

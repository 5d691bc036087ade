// TypeBox structural errors as Kubernetes FieldErrors (paths like spec.mounts[0].mountPoint).
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from '../../../api/field-error.js';
import { enumValues, pointerToPath, type JsonSchema } from './schema-walk.js';

/** At most this many schema errors are reported for one object. */
const MAX_ERRORS = 50;

export function schemaErrors(schema: JsonSchema, value: unknown): FieldError[] {
  const out: FieldError[] = [];
  const required = new Set<string>();
  for (const e of Value.Errors(schema as unknown as TSchema, value)) {
    const path = pointerToPath(schema, e.path);
    if (e.type === ValueErrorType.ObjectRequiredProperty) {
      required.add(path);
      out.push({ path, type: 'FieldValueRequired', message: '' });
    } else if (!required.has(path) && !out.some((o) => o.path === path)) {
      out.push(toFieldError(path, e.schema as unknown as JsonSchema, e.value, e.message));
    }
    if (out.length >= MAX_ERRORS) break;
  }
  return out;
}

function toFieldError(path: string, s: JsonSchema, value: unknown, message: string): FieldError {
  const values = enumValues(s);
  if (values) {
    return { path, type: 'FieldValueNotSupported', value, message: `supported values: ${values.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (s['x-kubernetes-int-or-string'] === true) return { path, type: 'FieldValueInvalid', value, message: 'must be an integer or a string' };
  const type = s['type'];
  if (typeof type === 'string' && !matchesType(type, value)) {
    return { path, type: 'FieldValueInvalid', value, message: `must be of type ${type}` };
  }
  const bound = boundMessage(s);
  if (bound !== undefined) return { path, type: 'FieldValueInvalid', value, message: bound };
  return { path, type: 'FieldValueInvalid', value, message: message.charAt(0).toLowerCase() + message.slice(1) };
}

function matchesType(type: string, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    default: return true;
  }
}

/** Kubernetes-like wording for the bounds the kinds use (the value already has the right type). */
function boundMessage(s: JsonSchema): string | undefined {
  const parts: string[] = [];
  if (typeof s['minItems'] === 'number') parts.push(`must have at least ${s['minItems']} item(s)`);
  if (typeof s['maxItems'] === 'number') parts.push(`must have at most ${s['maxItems']} item(s)`);
  if (typeof s['minLength'] === 'number') parts.push(`must be at least ${s['minLength']} character(s) long`);
  if (typeof s['maxLength'] === 'number') parts.push(`must be at most ${s['maxLength']} character(s) long`);
  if (typeof s['minimum'] === 'number') parts.push(`must be greater than or equal to ${s['minimum']}`);
  if (typeof s['maximum'] === 'number') parts.push(`must be less than or equal to ${s['maximum']}`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

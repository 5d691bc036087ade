// Finds fields a structural schema does not declare, and optionally prunes them in place
// (Kubernetes prunes unknown fields of custom resources; strict field validation rejects them).
import { asSchema, isRecord, joinField, joinIndex, mapValueSchema, PRESERVE, type JsonSchema } from './schema-walk.js';

/**
 * Walks `value` (a private copy) against `schema`; returns the paths of undeclared fields.
 * Subtrees marked x-kubernetes-preserve-unknown-fields and union-typed values are not entered.
 */
export function findUnknownFields(schema: JsonSchema, value: unknown, prune: boolean, path = ''): string[] {
  const out: string[] = [];
  visit(schema, value, path, prune, out);
  return out;
}

function visit(schema: JsonSchema, value: unknown, path: string, prune: boolean, out: string[]): void {
  if (schema[PRESERVE] === true) return;
  if (Array.isArray(value)) {
    const items = schema['type'] === 'array' ? asSchema(schema['items']) : undefined;
    if (items) value.forEach((v, i) => visit(items, v, joinIndex(path, i), prune, out));
    return;
  }
  if (!isRecord(value) || schema['type'] !== 'object') return;
  const props = asSchema(schema['properties']) ?? {};
  const mapValue = mapValueSchema(schema);
  for (const key of Object.keys(value)) {
    const child = Object.prototype.hasOwnProperty.call(props, key) ? asSchema(props[key]) : undefined;
    if (child) {
      visit(child, value[key], joinField(path, key), prune, out);
    } else if (mapValue) {
      visit(mapValue, value[key], joinIndex(path, key), prune, out);
    } else if (schema['additionalProperties'] === true) {
      continue;
    } else {
      out.push(joinField(path, key));
      if (prune) delete value[key];
    }
  }
}

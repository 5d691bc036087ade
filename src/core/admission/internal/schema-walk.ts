// Helpers that read a TypeBox schema as plain JSON Schema (the structural subset the kinds use:
// object with properties or patternProperties (maps), array with items, anyOf unions, scalars).

export type JsonSchema = Readonly<Record<string, unknown>>;

export const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asSchema(v: unknown): JsonSchema | undefined {
  return isRecord(v) ? v : undefined;
}

/** Value schema of a map (TypeBox Record => patternProperties; or additionalProperties object). */
export function mapValueSchema(s: JsonSchema): JsonSchema | undefined {
  const pp = asSchema(s['patternProperties']);
  if (pp) {
    const first = Object.values(pp)[0];
    return asSchema(first);
  }
  return asSchema(s['additionalProperties']);
}

/** Schema of property `key` of object schema `s`, if declared. */
export function propertySchema(s: JsonSchema, key: string): JsonSchema | undefined {
  const props = asSchema(s['properties']);
  return props && Object.prototype.hasOwnProperty.call(props, key) ? asSchema(props[key]) : undefined;
}

/** Appends a segment Kubernetes-style: `.name` for fields, `[i]` for list items, `[key]` for map keys. */
export function joinField(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
export function joinIndex(path: string, index: number | string): string {
  return `${path}[${index}]`;
}

/** Literal values of a union of string literals (TypeBox StringEnum), else undefined. */
export function enumValues(s: JsonSchema): string[] | undefined {
  const any = s['anyOf'];
  if (!Array.isArray(any) || any.length === 0) return undefined;
  const out: string[] = [];
  for (const b of any) {
    const c = isRecord(b) ? b['const'] : undefined;
    if (typeof c !== 'string') return undefined;
    out.push(c);
  }
  return out;
}

/**
 * Converts a JSON pointer (/spec/mounts/0/mountPoint) into a Kubernetes field path
 * (spec.mounts[0].mountPoint), using the schema to tell map keys from fields.
 */
export function pointerToPath(root: JsonSchema, pointer: string): string {
  if (pointer === '' || pointer === '/') return '';
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  let schema: JsonSchema | undefined = root;
  for (const seg of segs) {
    if (schema && schema['type'] === 'array') {
      path = joinIndex(path, seg);
      schema = asSchema(schema['items']);
    } else if (schema && propertySchema(schema, seg)) {
      path = joinField(path, seg);
      schema = propertySchema(schema, seg);
    } else if (schema && mapValueSchema(schema)) {
      path = joinIndex(path, seg);
      schema = mapValueSchema(schema);
    } else {
      path = /^\d+$/.test(seg) ? joinIndex(path, seg) : joinField(path, seg);
      schema = undefined;
    }
  }
  return path;
}

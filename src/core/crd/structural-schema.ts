// TypeBox schema -> Kubernetes structural OpenAPI v3 schema (CRD openAPIV3Schema, and the
// OpenAPI documents the API server publishes). Rules applied:
// - a union of string literals becomes `type: string` + `enum`;
// - the int-or-string union keeps `anyOf: [{type: integer}, {type: string}]` + x-kubernetes-int-or-string;
// - a TypeBox Record (patternProperties) becomes `additionalProperties`;
// - preserved subtrees are `type: object` + x-kubernetes-preserve-unknown-fields, no empty properties;
// - the root `metadata` is just `type: object` (the API server validates ObjectMeta itself).
import type { TSchema } from '@sinclair/typebox';

type Json = Record<string, unknown>;

const COPIED = ['description', 'default', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'x-kubernetes-preserve-unknown-fields'] as const;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function toStructuralSchema(schema: TSchema): Json {
  const root = convert(schema as unknown as Json);
  const props = root['properties'];
  if (isObj(props) && props['metadata'] !== undefined) props['metadata'] = { type: 'object' };
  return root;
}

function convert(s: Json): Json {
  const out: Json = {};
  const anyOf = s['anyOf'];
  if (Array.isArray(anyOf)) {
    const consts = anyOf.map((b) => (isObj(b) ? b['const'] : undefined));
    if (consts.every((c) => typeof c === 'string')) {
      out['type'] = 'string';
      out['enum'] = consts;
    } else if (s['x-kubernetes-int-or-string'] === true) {
      out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
      out['x-kubernetes-int-or-string'] = true;
    } else {
      // Kinds must not use other unions: keep the data rather than reject it.
      out['x-kubernetes-preserve-unknown-fields'] = true;
    }
  } else if (typeof s['type'] === 'string') {
    out['type'] = s['type'];
  } else {
    out['x-kubernetes-preserve-unknown-fields'] = true; // Type.Unknown / Type.Any
  }
  for (const k of COPIED) if (s[k] !== undefined) out[k] = s[k];

  if (out['type'] === 'object') {
    const props = s['properties'];
    if (isObj(props) && Object.keys(props).length > 0) {
      const conv: Json = {};
      for (const [k, v] of Object.entries(props)) if (isObj(v)) conv[k] = convert(v);
      out['properties'] = conv;
    }
    const pattern = s['patternProperties'];
    if (isObj(pattern)) {
      const first = Object.values(pattern)[0];
      if (isObj(first)) out['additionalProperties'] = convert(first);
    }
    const required = s['required'];
    if (Array.isArray(required) && required.length > 0) out['required'] = [...required];
  }
  if (out['type'] === 'array' && isObj(s['items'])) out['items'] = convert(s['items']);
  return out;
}

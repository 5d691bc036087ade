import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../../kind.js';
import type { FieldError } from '../../field-error.js';
import { KindObject, StringMap } from '../internal/schema.js';
import { ageColumn, coreKind, countKeys, str } from '../internal/core-kind.js';

/** UTF-8 -> base64 without Node's Buffer (api/ stays platform-free). */
function base64Utf8(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * stringData is write-only: its entries are base64-encoded into data (winning over data's entry
 * for the same key) and the field is dropped, so the stored object never holds it.
 */
export function foldStringData(obj: Record<string, unknown>): Record<string, unknown> {
  const sd = obj['stringData'];
  if (sd === undefined) return obj;
  const out: Record<string, unknown> = { ...obj };
  delete out['stringData'];
  if (typeof sd !== 'object' || sd === null || Array.isArray(sd)) return out;
  const data: Record<string, unknown> = typeof obj['data'] === 'object' && obj['data'] !== null && !Array.isArray(obj['data']) ? { ...(obj['data'] as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(sd as Record<string, unknown>)) {
    if (typeof v === 'string') data[k] = base64Utf8(v);
  }
  out['data'] = data;
  return out;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** data values must be standard base64; the error never repeats the value. */
function validateSecret(obj: unknown): SemanticResult {
  const errors: FieldError[] = [];
  const data = typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)['data'] : undefined;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      if (typeof v === 'string' && !BASE64_RE.test(v)) {
        errors.push({ path: `data[${k}]`, type: 'FieldValueInvalid', value: '[redacted]', message: 'must be base64-encoded (use stringData for plain text)' });
      }
    }
  }
  return { errors, warnings: [] };
}

/** v1 Secret. Values never appear in columns (only the key count) nor in admission errors. */
export const secretKind: KindDefinition = coreKind({
  kind: 'Secret', plural: 'secrets', namespaced: true,
  schema: KindObject(undefined, undefined, {
    data: StringMap({ description: 'base64 values' }),
    stringData: StringMap({ description: 'write-only plain values, folded into data' }),
    type: Type.String({ default: 'Opaque' }),
    immutable: Type.Boolean(),
  }),
  columns: [
    { name: 'Type', type: 'string', jsonPath: '.type', value: (o) => str(o['type']) },
    { name: 'Data', type: 'integer', jsonPath: '.data', value: (o) => countKeys(o['data']) },
    ageColumn,
  ],
  normalize: foldStringData,
  validate: validateSecret,
  secretFields: ['data', 'stringData'],
});

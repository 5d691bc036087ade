import { Type } from '@sinclair/typebox';
import type { KindDefinition } from '../../kind.js';
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

/** v1 Secret. Values never appear in columns (only the key count). */
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
});

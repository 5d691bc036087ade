// Defensive readers over a stored spec (unknown JSON). The API server validates our kinds, but
// the controller must never crash on a shape it did not expect: readers return undefined.

export type Json = Readonly<Record<string, unknown>>;

export function rec(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A string map (properties, options); non-string values are stringified. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v) ?? {})) {
    const s = str(val) ?? (typeof val === 'boolean' ? String(val) : undefined);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** Keys of `obj` not in `known`, as field paths under `prefix`. */
export function unknownKeys(obj: Json | undefined, known: readonly string[], prefix: string): string[] {
  if (!obj) return [];
  return Object.keys(obj).filter((k) => !known.includes(k)).map((k) => `${prefix}.${k}`);
}

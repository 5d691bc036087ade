// JSON value helpers shared by the patch algorithms. Values are plain JSON (no undefined,
// no functions); every function here returns new values and never mutates its inputs.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject { [key: string]: JsonValue }

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON value. */
export function cloneJson<T>(v: T): T {
  return structuredClone(v);
}

/** Structural equality of two JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Sets `o[key] = v` as an own data property. Plain assignment of "__proto__" would replace the
 * object's prototype instead of adding a field; JSON.parse makes such keys own properties, and
 * so must every patch, so that validation sees (and refuses or prunes) them like any unknown field.
 */
export function setOwn(o: JsonObject, key: string, v: JsonValue): void {
  Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
}

/** True when objects/arrays in `root` nest more than `max` levels. Iterative: safe at any depth. */
export function depthExceeds(root: unknown, max: number): boolean {
  const todo: { v: unknown; d: number }[] = [{ v: root, d: 0 }];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    const { v, d } = next;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) todo.push({ v: x, d: d + 1 });
  }
  return false;
}

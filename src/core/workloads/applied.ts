// Comparing what a controller wants with what the API server stores. A real kube-apiserver fills in
// defaults (a StatefulSet's updateStrategy, a container's terminationMessagePath, ...) and returns
// map fields (a ConfigMap's data, annotations) with sorted keys, so byte equality of JSON says
// "changed" on every pass. Pure.

/**
 * True when every field `desired` sets has the same value in `actual` (objects by key, recursively;
 * arrays element by element and of equal length; scalars strictly equal). Fields only in `actual`
 * (server defaults) are ignored.
 */
export function coversDesired(desired: unknown, actual: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && actual.length === desired.length && desired.every((d, i) => coversDesired(d, actual[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => v === undefined || coversDesired(v, a[k]));
  }
  return desired === actual;
}

/** Equality of two JSON values regardless of object key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

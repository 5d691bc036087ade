// JSON Merge Patch (RFC 7386), the `application/merge-patch+json` content type.
import { cloneJson, isJsonObject, setOwn, type JsonValue } from './json-value.js';

/**
 * Applies `patch` to `target` and returns the result. A null member deletes the key; an
 * object member merges recursively; anything else (arrays included) replaces.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out = isJsonObject(target) ? cloneJson(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, applyMergePatch(out[k], v));
  }
  return out;
}

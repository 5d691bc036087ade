// Strategic merge patch (`application/strategic-merge-patch+json`), as kubectl sends it for the
// built-in kinds. Lists whose field has a merge key are merged element-by-element; lists of
// primitives with the merge strategy (metadata.finalizers) are merged as sets; every other list
// is replaced. Supported directives: `$patch: replace|delete|merge` (maps and list elements),
// `$retainKeys`, `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`, and null to delete.
import { cloneJson, isJsonObject, jsonEqual, setOwn, type JsonObject, type JsonValue } from './json-value.js';
import { PatchError } from './patch-error.js';

/** How a list field is merged, keyed by the field name and its parent path (dotted, no indices). */
export interface ListStrategy {
  /** Element key for lists of objects, or 'primitive' for set-merged lists of scalars. */
  readonly mergeKey: string | 'primitive';
}

/** Patch metadata for the Kubernetes kinds this server serves (from the Kubernetes types' tags). */
export function builtinListStrategy(parentPath: readonly string[], field: string): ListStrategy | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers':
    case 'volumes': case 'env': case 'imagePullSecrets': case 'resourceClaims':
      return { mergeKey: 'name' };
    case 'volumeMounts': return { mergeKey: 'mountPath' };
    case 'volumeDevices': return { mergeKey: 'devicePath' };
    case 'ports': return { mergeKey: parentPath.some((p) => p.endsWith('ontainers')) ? 'containerPort' : 'port' };
    case 'hostAliases': return { mergeKey: 'ip' };
    case 'conditions': return { mergeKey: 'type' };
    case 'ownerReferences': return { mergeKey: 'uid' };
    case 'taints': return { mergeKey: 'key' };
    case 'topologySpreadConstraints': return { mergeKey: 'topologyKey' };
    case 'addresses': return parentPath[parentPath.length - 1] === 'status' ? { mergeKey: 'type' } : undefined;
    case 'finalizers': return parentPath[parentPath.length - 1] === 'metadata' ? { mergeKey: 'primitive' } : undefined;
    default: return undefined;
  }
}

export type StrategyLookup = (parentPath: readonly string[], field: string) => ListStrategy | undefined;

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to `target`; throws PatchError on malformed directives. */
export function applyStrategicMergePatch(target: JsonValue, patch: JsonValue, lookup: StrategyLookup = builtinListStrategy): JsonValue {
  if (!isJsonObject(patch)) throw new PatchError('strategic merge patch: the body must be a JSON object');
  const base = isJsonObject(target) ? target : {};
  const out = mergeMap(base, patch, [], lookup);
  return out ?? {};
}

/** Returns the merged map, or undefined when the patch deletes it (`$patch: delete`). */
function mergeMap(target: JsonObject, patch: JsonObject, path: string[], lookup: StrategyLookup): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const r = cloneJson(patch);
    delete r.$patch;
    return stripDirectives(r);
  }
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`strategic merge patch: unknown $patch directive ${JSON.stringify(directive)} at ${path.join('.') || '<root>'}`);
  }
  let out = cloneJson(target);
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain) || !retain.every((k) => typeof k === 'string')) {
      throw new PatchError(`strategic merge patch: $retainKeys at ${path.join('.') || '<root>'} must be a list of strings`);
    }
    const keep = new Set(retain as string[]);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(value)) out[field] = cur.filter((x) => !value.some((v) => jsonEqual(v, x)));
      continue;
    }
    if (value === null) { delete out[key]; continue; }
    const cur = out[key];
    if (isJsonObject(value)) {
      const merged = mergeMap(isJsonObject(cur) ? cur : {}, value, [...path, key], lookup);
      if (merged === undefined) delete out[key];
      else setOwn(out, key, merged);
    } else if (Array.isArray(value)) {
      const strategy = lookup(path, key);
      setOwn(out, key, strategy ? mergeList(Array.isArray(cur) ? cur : [], value, strategy, [...path, key], lookup) : stripDirectives(cloneJson(value)));
    } else {
      setOwn(out, key, value);
    }
  }
  // $setElementOrder: reorder merged lists as the patch author saw them.
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER) || !Array.isArray(order)) continue;
    const field = key.slice(SET_ORDER.length);
    const list = out[field];
    const strategy = lookup(path, field);
    if (Array.isArray(list) && strategy) out[field] = reorder(list, order, strategy);
  }
  return out;
}

function keyOf(el: JsonValue, strategy: ListStrategy): JsonValue | undefined {
  if (strategy.mergeKey === 'primitive') return el;
  return isJsonObject(el) ? el[strategy.mergeKey] : undefined;
}

function mergeList(target: JsonValue[], patch: JsonValue[], strategy: ListStrategy, path: string[], lookup: StrategyLookup): JsonValue[] {
  if (patch.some((el) => isJsonObject(el) && el.$patch === 'replace')) {
    return stripDirectives(patch.filter((el) => !(isJsonObject(el) && el.$patch === 'replace'))) as JsonValue[];
  }
  const out = cloneJson(target);
  for (const el of patch) {
    if (strategy.mergeKey === 'primitive') {
      if (!out.some((x) => jsonEqual(x, el))) out.push(el);
      continue;
    }
    if (!isJsonObject(el)) throw new PatchError(`strategic merge patch: ${path.join('.')} elements must be objects`);
    const k = el[strategy.mergeKey];
    if (k === undefined) throw new PatchError(`strategic merge patch: an element of ${path.join('.')} has no merge key "${strategy.mergeKey}"`);
    const idx = out.findIndex((x) => jsonEqual(keyOf(x, strategy), k));
    if (el.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as JsonObject, el, path, lookup);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      out.push(stripDirectives(cloneJson(el)));
    }
  }
  return out;
}

function reorder(list: JsonValue[], order: JsonValue[], strategy: ListStrategy): JsonValue[] {
  const rank = (el: JsonValue): number => {
    const k = keyOf(el, strategy);
    const orderKey = (o: JsonValue): JsonValue | undefined => (strategy.mergeKey === 'primitive' ? o : isJsonObject(o) ? o[strategy.mergeKey] : undefined);
    const i = order.findIndex((o) => jsonEqual(orderKey(o), k));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list.map((el, i) => ({ el, i, r: rank(el) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.el);
}

/** Removes any leftover `$...` directive keys from a value being inserted as-is. */
function stripDirectives<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => stripDirectives(x)) as T;
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) setOwn(out, k, stripDirectives(x));
    return out as T;
  }
  return v;
}

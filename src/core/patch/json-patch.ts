// JSON Patch (RFC 6902), the `application/json-patch+json` content type. All operations
// apply to a copy; if any fails, the whole patch fails and the input is untouched.
import { cloneJson, isJsonObject, jsonEqual, setOwn, type JsonValue } from './json-value.js';
import { PatchError } from './patch-error.js';

/** An operation that cannot be applied (422); only a body that is not a list of objects is malformed (400). */
function failed(message: string): PatchError {
  return new PatchError(message, 'failed');
}

/** Parses an RFC 6901 pointer into unescaped tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw failed(`json patch: path "${pointer}" must start with "/"`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, arr: JsonValue[], forInsert: boolean, path: string): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw failed(`json patch: "${token}" is not an array index in path "${path}"`);
  const i = Number(token);
  const max = forInsert ? arr.length : arr.length - 1;
  if (i > max) throw failed(`json patch: index ${i} out of range in path "${path}"`);
  return i;
}

function getAt(doc: JsonValue, tokens: string[], path: string): JsonValue {
  let cur: JsonValue = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur, false, path)] as JsonValue;
    else if (isJsonObject(cur) && Object.hasOwn(cur, t)) cur = cur[t] as JsonValue;
    else throw failed(`json patch: path "${path}" does not exist`);
  }
  return cur;
}

function parentOf(doc: JsonValue, tokens: string[], path: string): { parent: JsonValue; last: string } {
  if (tokens.length === 0) throw failed(`json patch: operation on the document root ("${path}") is not supported`);
  const last = tokens[tokens.length - 1] as string;
  return { parent: getAt(doc, tokens.slice(0, -1), path), last };
}

function add(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent, true, path), 0, value);
  else if (isJsonObject(parent)) setOwn(parent, last, value);
  else throw failed(`json patch: parent of "${path}" is not an object or array`);
  return doc;
}

function remove(doc: JsonValue, path: string): { doc: JsonValue; removed: JsonValue } {
  const tokens = parsePointer(path);
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent, false, path);
    const [removed] = parent.splice(i, 1);
    return { doc, removed: removed as JsonValue };
  }
  if (isJsonObject(parent) && Object.hasOwn(parent, last)) {
    const removed = parent[last] as JsonValue;
    delete parent[last];
    return { doc, removed };
  }
  throw failed(`json patch: path "${path}" does not exist`);
}

/** Applies an RFC 6902 operation list to `target`; throws PatchError naming the failing op. */
export function applyJsonPatch(target: JsonValue, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) throw new PatchError('json patch: the body must be a JSON array of operations', 'malformed');
  let doc = cloneJson(target);
  ops.forEach((raw: unknown, i) => {
    if (!isJsonObject(raw)) throw new PatchError(`json patch: operation ${i} is not an object`, 'malformed');
    const op = raw.op;
    const path = raw.path;
    if (typeof path !== 'string') throw failed(`json patch: operation ${i} has no string "path"`);
    const needValue = (): JsonValue => {
      if (!Object.hasOwn(raw, 'value')) throw failed(`json patch: operation ${i} (${String(op)}) needs "value"`);
      return cloneJson(raw.value as JsonValue);
    };
    const from = (): string => {
      if (typeof raw.from !== 'string') throw failed(`json patch: operation ${i} (${String(op)}) needs a string "from"`);
      return raw.from;
    };
    switch (op) {
      case 'add': doc = add(doc, path, needValue()); break;
      case 'remove': doc = remove(doc, path).doc; break;
      case 'replace': {
        const v = needValue();
        if (parsePointer(path).length === 0) { doc = v; break; }
        doc = add(remove(doc, path).doc, path, v);
        break;
      }
      case 'move': {
        const r = remove(doc, from());
        doc = add(r.doc, path, r.removed);
        break;
      }
      case 'copy': doc = add(doc, path, cloneJson(getAt(doc, parsePointer(from()), from()))); break;
      case 'test':
        if (!jsonEqual(getAt(doc, parsePointer(path), path), needValue())) {
          throw failed(`json patch: test operation ${i} failed at path "${path}"`);
        }
        break;
      default: throw failed(`json patch: operation ${i} has unsupported op ${JSON.stringify(op)}`);
    }
  });
  return doc;
}

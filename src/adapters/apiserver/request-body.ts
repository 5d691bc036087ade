// Reads and decodes request bodies. The size limit is kube's: 3 MiB per request; larger bodies
// are refused with 413 before being buffered.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, parseDocument as parseYamlDocument } from 'yaml';
import { scanJson } from '../../core/patch/json-scan.js';
import { depthExceeds } from '../../core/patch/json-value.js';
import { decodeProtobufBody, isProtobuf } from './protobuf-body.js';
import { ApiError, badRequest } from './status-errors.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function tooLarge(): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES} bytes (3 MiB)`);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Deepest nesting of objects and arrays a request body may have. Kubernetes' JSON decoder stops
 * at 10000; ours stops earlier because admission, patching and cloning recurse and V8's stack
 * ends near 2000 levels. No Kubernetes object comes close to either.
 */
export const MAX_BODY_DEPTH = 1000;

export function tooDeep(what = 'the request body'): ApiError {
  return badRequest(`${what} is nested too deeply: objects and arrays may nest at most ${MAX_BODY_DEPTH} levels`);
}

export interface DecodedBody {
  readonly value: unknown;
  /** Paths of keys repeated within one JSON object (JSON.parse keeps the last one). */
  readonly duplicates: readonly string[];
  /** Paths of "__proto__" keys, dropped from `value`: unknown fields to strict validation. */
  readonly dropped: readonly string[];
  /** Repeated keys of a YAML body, as kube's YAML decoder words them: `line 3: key "name" already set in map`. */
  readonly yamlDuplicates: readonly string[];
}

/** Decodes JSON, or YAML when the content type says so. Never echoes the body in errors. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  return decodeBodyDetailed(buf, contentType).value;
}

/**
 * As decodeBody, plus the repeated keys of a JSON body (for strict field validation). The depth
 * is checked before parsing, and "__proto__" keys are dropped so that no later assignment can
 * treat one as the prototype (they are never stored).
 */
export function decodeBodyDetailed(buf: Buffer, contentType: string | undefined): DecodedBody {
  const ct = (contentType ?? '').toLowerCase();
  if (isProtobuf(ct)) return { value: decodeProtobufBody(buf), duplicates: [], dropped: [], yamlDuplicates: [] };
  if (ct.includes('protobuf') || ct.includes('cbor')) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${ct.split(';')[0] ?? ct})`);
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty; expected a JSON object');
  const yaml = ct.includes('yaml');
  const scan = yaml ? undefined : scanJson(text, MAX_BODY_DEPTH);
  if (scan?.tooDeep) throw tooDeep();
  let value: unknown;
  try {
    value = yaml ? (parseYaml(text, { uniqueKeys: false, maxAliasCount: 100 }) as unknown) : JSON.parse(text, dropProto) as unknown;
  } catch (err) {
    // Parser messages quote the surrounding text, which may be a Secret value: never pass it on.
    const msg = err instanceof Error ? err.message : String(err);
    if (ct.includes('yaml')) {
      const at = /at line (\d+), column (\d+)/.exec(msg);
      throw badRequest(`the request body is not valid YAML${at ? ` (line ${at[1]}, column ${at[2]})` : ''}`);
    }
    throw badRequest(`the request body is not valid JSON${/end of (JSON )?input/i.test(msg) ? ' (unexpected end of input)' : ''}`);
  }
  if (yaml) {
    if (depthExceeds(value, MAX_BODY_DEPTH)) throw tooDeep();
    value = JSON.parse(JSON.stringify(value), dropProto) as unknown;
  }
  return { value, duplicates: scan?.duplicates ?? [], dropped: scan?.protoKeys ?? [], yamlDuplicates: yaml ? yamlDuplicateKeys(text) : [] };
}

/** Repeated mapping keys of a YAML text (1-based lines), found by a second, strict parse. */
function yamlDuplicateKeys(text: string): string[] {
  return parseYamlDocument(text, { uniqueKeys: true }).errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => {
      const key = (/^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:]*?)\s*:/.exec(text.slice(e.pos[0]))?.[1] ?? '').replace(/^["']|["']$/g, '');
      return `line ${e.linePos?.[0].line ?? 0}: key "${key}" already set in map`;
    });
}

function dropProto(key: string, v: unknown): unknown {
  return key === '__proto__' ? undefined : v;
}

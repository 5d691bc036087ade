// Reads and decodes request bodies. The size limit is kube's: 3 MiB per request; larger bodies
// are refused with 413 before being buffered.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
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

/** Decodes JSON, or YAML when the content type says so. Never echoes the body in errors. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  const ct = (contentType ?? '').toLowerCase();
  if (isProtobuf(ct)) return decodeProtobufBody(buf);
  if (ct.includes('protobuf') || ct.includes('cbor')) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${ct.split(';')[0] ?? ct})`);
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty; expected a JSON object');
  try {
    if (ct.includes('yaml')) return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (err) {
    // Parser messages quote the surrounding text, which may be a Secret value: never pass it on.
    const msg = err instanceof Error ? err.message : String(err);
    if (ct.includes('yaml')) {
      const at = /at line (\d+), column (\d+)/.exec(msg);
      throw badRequest(`the request body is not valid YAML${at ? ` (line ${at[1]}, column ${at[2]})` : ''}`);
    }
    throw badRequest(`the request body is not valid JSON${/end of (JSON )?input/i.test(msg) ? ' (unexpected end of input)' : ''}`);
  }
}

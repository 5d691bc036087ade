// List pagination (`limit` / `continue`), as kube-apiserver does it: every page of one list is
// cut from the same snapshot, the resourceVersion of the first page. The continue token is
// opaque to clients; it is base64 of {"v":"meta.k8s.io/v1","rv":<snapshot rv>,"start":"<ns>/<name>"}
// where start is the key of the last item returned (the next page starts after it).
import { ApiError, badRequest } from './status-errors.js';

export interface ContinueToken {
  readonly rv: number;
  /** namespace + "/" + name of the last item of the previous page. */
  readonly start: string;
}

const VERSION = 'meta.k8s.io/v1';

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: VERSION, rv: t.rv, start: t.start })).toString('base64url');
}

/** Throws 400 with kube's wording for a token this server did not issue. */
export function decodeContinue(token: string): ContinueToken {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  if (d.v !== VERSION) throw badRequest(`continue key is not valid: server does not recognize this encoded key version "${String(d.v)}"`);
  if (typeof d.rv !== 'number' || !Number.isSafeInteger(d.rv) || d.rv <= 0) {
    throw badRequest(`continue key is not valid: incorrect encoded start resourceVersion (version ${VERSION})`);
  }
  if (typeof d.start !== 'string' || d.start === '') throw badRequest(`continue key is not valid: encoded start key empty (version ${VERSION})`);
  return { rv: d.rv, start: d.start };
}

export function continueTooOld(): ApiError {
  return new ApiError(410, 'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
}

/** The sort key of an item: kube orders lists by their storage key, namespace then name. */
export function itemKey(o: { metadata: Record<string, unknown> }): string {
  return `${typeof o.metadata.namespace === 'string' ? o.metadata.namespace : ''}/${String(o.metadata.name)}`;
}

/** Byte order of "ns/name" keys (names are ASCII DNS names, so code-unit order is byte order). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

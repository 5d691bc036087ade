// Maps a request path to what it addresses. Resource paths:
//   /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]
//   /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]
// `/api/v1/namespaces/{name}` addresses the Namespace object itself.
import type { KindDefinition } from '../../api/kind.js';
import type { KindRegistry } from './kind-registry.js';

export type Route =
  | { readonly type: 'health'; readonly which: 'healthz' | 'readyz' | 'livez' }
  | { readonly type: 'version' }
  | { readonly type: 'apiVersions' }
  | { readonly type: 'apiGroupList' }
  | { readonly type: 'apiGroup'; readonly group: string }
  | { readonly type: 'resourceList'; readonly group: string; readonly version: string }
  | { readonly type: 'openapiV3Root' }
  | { readonly type: 'openapiV2' }
  | { readonly type: 'crdList' }
  | { readonly type: 'openapiV3'; readonly group: string; readonly version: string }
  | { readonly type: 'resource'; readonly def: KindDefinition; readonly namespace: string | undefined; readonly name: string | undefined; readonly subresource: string | undefined }
  | { readonly type: 'notFound' };

export function route(pathname: string, kinds: KindRegistry): Route {
  const segs = pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const [a, b, c] = segs;
  if (segs.length === 1 && (a === 'healthz' || a === 'readyz' || a === 'livez')) return { type: 'health', which: a };
  if (segs.length === 1 && a === 'version') return { type: 'version' };
  if (a === 'openapi' && b === 'v2' && segs.length === 2) return { type: 'openapiV2' };
  if (pathname.replace(/\/+$/, '') === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions') return { type: 'crdList' };
  if (a === 'openapi' && b === 'v3') {
    if (segs.length === 2) return { type: 'openapiV3Root' };
    if (c === 'api' && segs.length === 4) return { type: 'openapiV3', group: '', version: segs[3] ?? '' };
    if (c === 'apis' && segs.length === 5) return { type: 'openapiV3', group: segs[3] ?? '', version: segs[4] ?? '' };
    return { type: 'notFound' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (a === 'api') {
    if (segs.length === 1) return { type: 'apiVersions' };
    group = '';
    version = b ?? '';
    rest = segs.slice(2);
  } else if (a === 'apis') {
    if (segs.length === 1) return { type: 'apiGroupList' };
    if (segs.length === 2) return kinds.groups().has(b ?? '') ? { type: 'apiGroup', group: b ?? '' } : { type: 'notFound' };
    group = b ?? '';
    version = c ?? '';
    rest = segs.slice(3);
  } else {
    return { type: 'notFound' };
  }
  if (kinds.inGroupVersion(group, version).length === 0) return { type: 'notFound' };
  if (rest.length === 0) return { type: 'resourceList', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const def = kinds.find(group, version, rest[2] ?? '');
    if (def?.namespaced && rest.length <= 5) {
      return { type: 'resource', def, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const def = kinds.find(group, version, rest[0] ?? '');
  if (!def || rest.length > 3) return { type: 'notFound' };
  // A namespaced kind listed across all namespaces: /api/v1/pods.
  if (def.namespaced && rest.length > 1) return { type: 'notFound' };
  return { type: 'resource', def, namespace: undefined, name: rest[1], subresource: rest[2] };
}

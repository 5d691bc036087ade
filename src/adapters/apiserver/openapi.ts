// OpenAPI v3 documents, as far as kubectl needs them:
//  - the query-parameter verifier looks for a PATCH operation tagged with the kind's
//    x-kubernetes-group-version-kind that lists `fieldValidation`; finding it, kubectl sends
//    ?fieldValidation=Strict and leaves unknown-field checks to this server;
//  - `kubectl explain` reads component schemas tagged with x-kubernetes-group-version-kind.
// Component schemas are published only for non-core groups: for built-in kinds kubectl then
// computes strategic merge patches from its compiled-in types (with the right merge keys).
import { createHash } from 'node:crypto';
import type { KindDefinition } from '../../api/kind.js';
import { toStructuralSchema } from '../../core/crd/structural-schema.js';
import type { KindRegistry } from './kind-registry.js';
import { OPENAPI_BUILTIN_GROUPS as BUILTIN_GROUPS } from './builtin-groups.js';


function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function schemaName(def: KindDefinition): string {
  const g = def.group.split('.').reverse().join('.');
  return `${g}.${def.version}.${def.kind}`;
}

function param(name: string, inWhere: 'query' | 'path'): Record<string, unknown> {
  return { name, in: inWhere, ...(inWhere === 'path' ? { required: true } : {}), schema: { type: 'string', uniqueItems: true } };
}

function operations(def: KindDefinition, collection: boolean): Record<string, unknown> {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ref = BUILTIN_GROUPS.has(def.group) ? { type: 'object' } : { $ref: `#/components/schemas/${schemaName(def)}` };
  const op = (action: string, extra: string[]): Record<string, unknown> => ({
    operationId: `${action}${def.kind}`,
    parameters: ['dryRun', 'fieldManager', ...extra].map((p) => param(p, 'query')),
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  if (collection) {
    return {
      get: op('list', ['labelSelector', 'fieldSelector', 'watch', 'resourceVersion', 'timeoutSeconds']),
      post: op('post', ['fieldValidation']),
    };
  }
  return {
    get: op('get', []),
    put: op('put', ['fieldValidation']),
    patch: op('patch', ['fieldValidation', 'force']),
    delete: op('delete', ['gracePeriodSeconds', 'propagationPolicy']),
  };
}

export function openapiV3ForGroupVersion(kinds: KindRegistry, group: string, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const def of kinds.inGroupVersion(group, version)) {
    const base = `/${gvPath(group, version)}${def.namespaced ? '/namespaces/{namespace}' : ''}/${def.plural}`;
    const nsParam = def.namespaced ? [param('namespace', 'path')] : [];
    paths[base] = { ...operations(def, true), parameters: nsParam };
    paths[`${base}/{name}`] = { ...operations(def, false), parameters: [...nsParam, param('name', 'path')] };
    if (!BUILTIN_GROUPS.has(def.group)) {
      // The same structural schema the CRDs carry, so `kubectl explain` shows real types.
      const schema = toStructuralSchema(def.schema);
      schemas[schemaName(def)] = { ...schema, 'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.kind }] };
    }
  }
  return { openapi: '3.0.0', info: { title: 'fluid-ts', version: 'v1.32.0' }, paths, components: { schemas } };
}

/**
 * kubectl's field-validation probe, for a group it cannot find, checks the CRD kind's PATCH
 * operation instead; answering it lets kubectl report "no matches for kind" for an unknown
 * apiVersion (as against a real cluster) instead of an OpenAPI download error. CRDs themselves
 * are not served.
 */
export function openapiV3Apiextensions(): Record<string, unknown> {
  const gvk = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
  return {
    openapi: '3.0.0', info: { title: 'fluid-ts', version: 'v1.32.0' },
    paths: {
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}': {
        patch: {
          operationId: 'patchCustomResourceDefinition',
          parameters: [param('fieldValidation', 'query')],
          responses: { '200': { description: 'OK' } },
          'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk,
        },
      },
    },
    components: { schemas: {} },
  };
}

export function openapiV3Root(kinds: KindRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = { 'apis/apiextensions.k8s.io/v1': { serverRelativeURL: '/openapi/v3/apis/apiextensions.k8s.io/v1?hash=0' } };
  for (const [group, versions] of kinds.groups()) {
    for (const v of versions) {
      const hash = createHash('sha256').update(JSON.stringify(openapiV3ForGroupVersion(kinds, group, v))).digest('hex').slice(0, 32).toUpperCase();
      paths[gvPath(group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, v)}?hash=${hash}` };
    }
  }
  return { paths };
}

/**
 * Read-only CustomResourceDefinitions describing the non-built-in kinds. kubectl lists them to
 * decide how to validate a manifest whose group/version it cannot find in OpenAPI v3.
 */
export function crdList(kinds: KindRegistry): Record<string, unknown> {
  const items = kinds.all.filter((d) => !BUILTIN_GROUPS.has(d.group)).map((d) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${d.plural}.${d.group}` },
    spec: {
      group: d.group, scope: d.namespaced ? 'Namespaced' : 'Cluster',
      names: { kind: d.kind, listKind: d.listKind, plural: d.plural, singular: d.singular, shortNames: [...d.shortNames], categories: [...d.categories] },
      versions: [{ name: d.version, served: true, storage: true, ...(d.statusSubresource ? { subresources: { status: {} } } : {}) }],
    },
  }));
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList', metadata: {}, items };
}

// Discovery documents (unaggregated): /version, /api, /apis, /apis/{g}, /api/v1, /apis/{g}/{v}.
// kubectl 1.32 asks for aggregated discovery first and falls back to these when the response's
// content type is plain application/json.
import type { KindDefinition } from '../../api/kind.js';
import type { KindRegistry } from './kind-registry.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function versionInfo(): Record<string, unknown> {
  return {
    major: '1', minor: '32', gitVersion: 'v1.32.0-fluid-ts', gitCommit: 'fluid-ts', gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z', goVersion: 'node', compiler: 'tsc', platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(kinds: KindRegistry): Record<string, unknown> {
  const groups = [...kinds.groups()].filter(([g]) => g !== '').map(([g, vs]) => groupEntry(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(kinds: KindRegistry, group: string): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, kinds.groups().get(group) ?? []) };
}

function resourceEntries(def: KindDefinition): Record<string, unknown>[] {
  const main = {
    name: def.plural, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: VERBS,
    ...(def.shortNames.length > 0 ? { shortNames: [...def.shortNames] } : {}),
    ...(def.categories.length > 0 ? { categories: [...def.categories] } : {}),
  };
  const out: Record<string, unknown>[] = [main];
  if (def.statusSubresource) out.push({ name: `${def.plural}/status`, singularName: '', namespaced: def.namespaced, kind: def.kind, verbs: ['get', 'patch', 'update'] });
  if (def.scaleSubresource) out.push({ name: `${def.plural}/scale`, singularName: '', namespaced: def.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  if (def.group === '' && def.kind === 'Pod') out.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  return out;
}

export function apiResourceList(kinds: KindRegistry, group: string, version: string): Record<string, unknown> {
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
    resources: kinds.inGroupVersion(group, version).flatMap(resourceEntries),
  };
}

// Objects every cluster has, created on first start and refreshed on every start: the
// namespaces default, kube-system, kube-public, kube-node-lease and fluid-system, and a Node for this machine.
import type { KindDefinition } from '../../api/kind.js';
import type { KubeObject } from '../store/object-store.js';
import { kubeTime, newUid } from './object-meta.js';
import type { ResourceService } from './resource-service.js';
import { nodeLabels, nodeStatus, type NodeFacts } from '../../core/workloads/node-status.js';

export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'fluid-system'] as const;

export function ensureBuiltins(service: ResourceService, now: Date, node: NodeFacts): void {
  const nsDef = service.registry.findResource('', 'namespaces');
  const nodeDef = service.registry.findResource('', 'nodes');
  if (!nsDef || !nodeDef) throw new Error('the kind registry lacks Namespace or Node: the API server cannot bootstrap');
  for (const name of BUILTIN_NAMESPACES) {
    if (tryGet(service, nsDef, name)) continue;
    service.writeInternal(nsDef, {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, uid: newUid(), creationTimestamp: kubeTime(now), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    });
  }
  const existing = tryGet(service, nodeDef, node.name);
  const t = kubeTime(now);
  const status = nodeStatus(node, t);
  const labels = nodeLabels(node);
  if (existing) {
    service.writeInternal(nodeDef, { ...existing, metadata: { ...existing.metadata, labels: { ...(existing.metadata.labels as Record<string, string> | undefined), ...labels } }, status });
  } else {
    service.writeInternal(nodeDef, {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: node.name, uid: newUid(), creationTimestamp: t, labels },
      spec: {}, status,
    });
  }
}

function tryGet(service: ResourceService, def: KindDefinition, name: string): KubeObject | undefined {
  try {
    return service.get(def, undefined, name);
  } catch {
    return undefined;
  }
}

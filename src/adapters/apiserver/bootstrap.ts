// Objects every cluster has, created on first start and refreshed on every start: the
// namespaces default, kube-system, kube-public and fluid-system, and a Node for this machine.
import type { KindDefinition } from '../../api/kind.js';
import type { KubeObject } from '../store/object-store.js';
import { kubeTime, newUid } from './object-meta.js';
import type { ResourceService } from './resource-service.js';

export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'fluid-system'] as const;

export interface NodeFacts {
  readonly hostname: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly arch: string;
  readonly kernel: string;
}

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
  const existing = tryGet(service, nodeDef, node.hostname);
  const t = kubeTime(now);
  const status = {
    capacity: { cpu: String(node.cpus), memory: `${Math.floor(node.memoryBytes / 1024)}Ki`, pods: '110' },
    allocatable: { cpu: String(node.cpus), memory: `${Math.floor(node.memoryBytes / 1024)}Ki`, pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fluid-ts node agent host is ready', lastHeartbeatTime: t, lastTransitionTime: t }],
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node.hostname }],
    nodeInfo: { architecture: node.arch, operatingSystem: 'linux', kernelVersion: node.kernel, kubeletVersion: 'v1.32.0-fluid-ts', containerRuntimeVersion: 'fluid-ts://process' },
  };
  const labels = { 'kubernetes.io/hostname': node.hostname, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': node.arch === 'x64' ? 'amd64' : node.arch };
  if (existing) {
    service.writeInternal(nodeDef, { ...existing, metadata: { ...existing.metadata, labels: { ...(existing.metadata.labels as Record<string, string> | undefined), ...labels } }, status });
  } else {
    service.writeInternal(nodeDef, {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: node.hostname, uid: newUid(), creationTimestamp: t, labels },
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

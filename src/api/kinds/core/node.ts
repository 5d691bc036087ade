import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { asArray, dig, isRecord } from '../internal/checks.js';
import { ageColumn, coreKind, str } from '../internal/core-kind.js';

function nodeStatus(o: Record<string, unknown>): string {
  const ready = asArray(dig(o, 'status', 'conditions')).find((c) => dig(c, 'type') === 'Ready');
  let s = dig(ready, 'status') === 'True' ? 'Ready' : ready === undefined ? 'Unknown' : 'NotReady';
  if (dig(o, 'spec', 'unschedulable') === true) s += ',SchedulingDisabled';
  return s;
}

/** Roles from node-role.kubernetes.io/<role> labels (and kubernetes.io/role). */
function nodeRoles(o: Record<string, unknown>): string {
  const labels = dig(o, 'metadata', 'labels');
  const roles = new Set<string>();
  if (isRecord(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
      else if (k === 'kubernetes.io/role' && typeof v === 'string' && v !== '') roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** v1 Node (cluster-scoped). */
export const nodeKind: KindDefinition = coreKind({
  kind: 'Node', plural: 'nodes', shortNames: ['no'], namespaced: false, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [
    { name: 'Status', type: 'string', jsonPath: '.status.conditions', value: nodeStatus },
    { name: 'Roles', type: 'string', jsonPath: '.metadata.labels', value: nodeRoles },
    ageColumn,
    { name: 'Version', type: 'string', jsonPath: '.status.nodeInfo.kubeletVersion', value: (o) => str(dig(o, 'status', 'nodeInfo', 'kubeletVersion')) },
    {
      name: 'Internal-IP', type: 'string', jsonPath: '.status.addresses', priority: 1,
      value: (o) => str(dig(asArray(dig(o, 'status', 'addresses')).find((a) => dig(a, 'type') === 'InternalIP'), 'address')) || '<none>',
    },
  ],
});

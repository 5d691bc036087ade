import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { dig } from '../internal/checks.js';
import { ageColumn, coreKind, int, labelSet } from '../internal/core-kind.js';

/** apps/v1 DaemonSet (the fuses). Counts read 0 until the controller writes status. */
export const daemonSetKind: KindDefinition = coreKind({
  group: 'apps', kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'], namespaced: true, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [
    { name: 'Desired', type: 'integer', jsonPath: '.status.desiredNumberScheduled', value: (o) => int(dig(o, 'status', 'desiredNumberScheduled') ?? 0) },
    { name: 'Current', type: 'integer', jsonPath: '.status.currentNumberScheduled', value: (o) => int(dig(o, 'status', 'currentNumberScheduled') ?? 0) },
    { name: 'Ready', type: 'integer', jsonPath: '.status.numberReady', value: (o) => int(dig(o, 'status', 'numberReady') ?? 0) },
    { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedNumberScheduled', value: (o) => int(dig(o, 'status', 'updatedNumberScheduled') ?? 0) },
    { name: 'Available', type: 'integer', jsonPath: '.status.numberAvailable', value: (o) => int(dig(o, 'status', 'numberAvailable') ?? 0) },
    { name: 'Node Selector', type: 'string', jsonPath: '.spec.template.spec.nodeSelector', value: (o) => labelSet(dig(o, 'spec', 'template', 'spec', 'nodeSelector')) },
    ageColumn,
  ],
});

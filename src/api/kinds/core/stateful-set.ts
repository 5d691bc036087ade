import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { dig } from '../internal/checks.js';
import { ageColumn, coreKind } from '../internal/core-kind.js';

/** apps/v1 StatefulSet (the masters and workers). READY is "readyReplicas/replicas". */
export const statefulSetKind: KindDefinition = coreKind({
  group: 'apps', kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'], namespaced: true, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [
    {
      name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas',
      value: (o) => {
        const ready = dig(o, 'status', 'readyReplicas');
        const want = dig(o, 'spec', 'replicas');
        return `${typeof ready === 'number' ? ready : 0}/${typeof want === 'number' ? want : 1}`;
      },
    },
    ageColumn,
  ],
});

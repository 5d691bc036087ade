import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { ageColumn, coreKind } from '../internal/core-kind.js';

/** coordination.k8s.io/v1 Lease (leader election of the controllers). */
export const leaseKind: KindDefinition = coreKind({
  group: 'coordination.k8s.io', kind: 'Lease', plural: 'leases', namespaced: true,
  schema: KindObject(Preserved(), undefined),
  columns: [{ name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' }, ageColumn],
});

import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { dig } from '../internal/checks.js';
import { accessModes, ageColumn, coreKind, str } from '../internal/core-kind.js';

/** v1 PersistentVolumeClaim. Capacity and access modes are the bound ones (status). */
export const persistentVolumeClaimKind: KindDefinition = coreKind({
  kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'], namespaced: true, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    { name: 'Volume', type: 'string', jsonPath: '.spec.volumeName' },
    { name: 'Capacity', type: 'string', jsonPath: '.status.capacity.storage', value: (o) => str(dig(o, 'status', 'capacity', 'storage')) },
    { name: 'Access Modes', type: 'string', jsonPath: '.status.accessModes', value: (o) => accessModes(dig(o, 'status', 'accessModes')) },
    { name: 'StorageClass', type: 'string', jsonPath: '.spec.storageClassName' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', jsonPath: '.spec.volumeMode', priority: 1 },
  ],
});

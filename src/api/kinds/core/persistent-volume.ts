import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { dig } from '../internal/checks.js';
import { accessModes, ageColumn, coreKind, str } from '../internal/core-kind.js';

/** v1 PersistentVolume (cluster-scoped). */
export const persistentVolumeKind: KindDefinition = coreKind({
  kind: 'PersistentVolume', plural: 'persistentvolumes', shortNames: ['pv'], namespaced: false, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [
    { name: 'Capacity', type: 'string', jsonPath: '.spec.capacity.storage', value: (o) => str(dig(o, 'spec', 'capacity', 'storage')) },
    { name: 'Access Modes', type: 'string', jsonPath: '.spec.accessModes', value: (o) => accessModes(dig(o, 'spec', 'accessModes')) },
    { name: 'Reclaim Policy', type: 'string', jsonPath: '.spec.persistentVolumeReclaimPolicy' },
    { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    {
      name: 'Claim', type: 'string', jsonPath: '.spec.claimRef',
      value: (o) => {
        const name = str(dig(o, 'spec', 'claimRef', 'name'));
        return name === '' ? '' : `${str(dig(o, 'spec', 'claimRef', 'namespace'))}/${name}`;
      },
    },
    { name: 'StorageClass', type: 'string', jsonPath: '.spec.storageClassName' },
    { name: 'Reason', type: 'string', jsonPath: '.status.reason' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', jsonPath: '.spec.volumeMode', priority: 1 },
  ],
});

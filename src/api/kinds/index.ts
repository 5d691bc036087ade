// Every kind the API server hosts: ours (data.fluid.io/v1alpha1) first, then the core kinds.
// Each entry is the single source of truth for its kind (schema, defaults, checks, columns).
import type { KindDefinition } from '../kind.js';
import { datasetKind } from './dataset.js';
import { alluxioRuntimeKind } from './alluxio-runtime.js';
import { jindoRuntimeKind } from './jindo-runtime.js';
import { juiceFSRuntimeKind } from './juicefs-runtime.js';
import { thinRuntimeKind } from './thin-runtime.js';
import { thinRuntimeProfileKind } from './thin-runtime-profile.js';
import { dataLoadKind } from './data-load.js';
import { dataCleanKind } from './data-clean.js';
import { dataMigrateKind } from './data-migrate.js';
import { dataProcessKind } from './data-process.js';
import { dataBackupKind } from './data-backup.js';
import { namespaceKind } from './core/namespace.js';
import { secretKind } from './core/secret.js';
import { configMapKind } from './core/config-map.js';
import { persistentVolumeKind } from './core/persistent-volume.js';
import { persistentVolumeClaimKind } from './core/persistent-volume-claim.js';
import { podKind } from './core/pod.js';
import { eventKind } from './core/event.js';
import { nodeKind } from './core/node.js';
import { leaseKind } from './core/lease.js';
import { statefulSetKind } from './core/stateful-set.js';
import { daemonSetKind } from './core/daemon-set.js';

export {
  datasetKind, alluxioRuntimeKind, jindoRuntimeKind, juiceFSRuntimeKind, thinRuntimeKind, thinRuntimeProfileKind, dataLoadKind, dataCleanKind, dataMigrateKind, dataProcessKind, dataBackupKind,
  namespaceKind, secretKind, configMapKind, persistentVolumeKind, persistentVolumeClaimKind, podKind, eventKind, nodeKind,
  leaseKind, statefulSetKind, daemonSetKind,
};

/** Our kinds: the ones `fluid crds` writes CRDs for. */
export const fluidKinds: readonly KindDefinition[] = [
  datasetKind, alluxioRuntimeKind, jindoRuntimeKind, juiceFSRuntimeKind, thinRuntimeKind, thinRuntimeProfileKind, dataLoadKind, dataCleanKind, dataMigrateKind, dataProcessKind, dataBackupKind,
];

/** Core Kubernetes kinds served alongside ours. */
export const coreKinds: readonly KindDefinition[] = [
  namespaceKind, secretKind, configMapKind, persistentVolumeKind, persistentVolumeClaimKind, podKind, eventKind, nodeKind,
  leaseKind, statefulSetKind, daemonSetKind,
];

export const allKinds: readonly KindDefinition[] = [...fluidKinds, ...coreKinds];

/** Looks a kind up by its REST coordinates (group '' for core, plural resource name). */
export function findKind(group: string, version: string, plural: string): KindDefinition | undefined {
  return allKinds.find((k) => k.group === group && k.version === version && k.plural === plural);
}

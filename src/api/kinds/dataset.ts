// Dataset (data.fluid.io/v1alpha1): where the data lives (mounts) and how it may be cached.
// Field names follow Fluid's api/v1alpha1 Dataset exactly.
import { Type, type Static } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import type { FieldError } from '../field-error.js';
import { Condition, KindObject, Preserved, StringEnum, StringMap } from './internal/schema.js';
import { asArray, checkDns1035Name, checkMounts, dig } from './internal/checks.js';
import { parseBackupPath } from './data-backup.js';

export const EncryptOption = Type.Object({
  name: Type.String({ minLength: 1, description: 'option name handed to the runtime, e.g. fs.oss.accessKeyId' }),
  valueFrom: Type.Object({
    secretKeyRef: Type.Object({ name: Type.String({ minLength: 1 }), key: Type.Optional(Type.String()) }),
  }),
});

export const Mount = Type.Object({
  mountPoint: Type.String({ minLength: 5, description: 'UFS URI, scheme from the list in mount-schemes.ts' }),
  options: Type.Optional(StringMap()),
  name: Type.Optional(Type.String({ description: 'directory name under the dataset root; derived by the controller when empty' })),
  path: Type.Optional(Type.String()),
  readOnly: Type.Optional(Type.Boolean()),
  shared: Type.Optional(Type.Boolean()),
  encryptOptions: Type.Optional(Type.Array(EncryptOption)),
});
export type Mount = Static<typeof Mount>;

export type DatasetPhase = 'NotBound' | 'Bound' | 'Failed' | 'Pending' | 'Updating' | 'DataMigrating' | 'None';
export const datasetPhases: readonly DatasetPhase[] = ['NotBound', 'Bound', 'Failed', 'Pending', 'Updating', 'DataMigrating', 'None'];

/** The runtime a Dataset is bound to (status.runtimes[], also settable in spec). */
export const DatasetRuntime = Type.Object({
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  category: Type.Optional(Type.String({ description: 'Accelerate' })),
  type: Type.Optional(Type.String({ description: 'alluxio | jindo | juicefs | thin' })),
  masterReplicas: Type.Optional(Type.Integer()),
});

export const DatasetSpec = Type.Object({
  mounts: Type.Optional(Type.Array(Mount, { minItems: 1 })),
  owner: Type.Optional(Type.Object({
    uid: Type.Optional(Type.Integer()), gid: Type.Optional(Type.Integer()),
    user: Type.Optional(Type.String()), group: Type.Optional(Type.String()),
  })),
  nodeAffinity: Type.Optional(Type.Object({ required: Type.Optional(Preserved('core NodeSelector')) })),
  tolerations: Type.Optional(Type.Array(Preserved('core Toleration'))),
  accessModes: Type.Optional(Type.Array(Type.String({ description: 'ReadWriteOnce | ReadOnlyMany | ReadWriteMany | ReadWriteOncePod' }))),
  runtimes: Type.Optional(Type.Array(DatasetRuntime)),
  placement: Type.Optional(StringEnum(['Exclusive', 'Shared'] as const, { default: 'Exclusive' })),
  dataRestoreLocation: Type.Optional(Type.Object({ path: Type.Optional(Type.String()), nodeName: Type.Optional(Type.String()) })),
  sharedOptions: Type.Optional(StringMap()),
  sharedEncryptOptions: Type.Optional(Type.Array(EncryptOption)),
});
export type DatasetSpec = Static<typeof DatasetSpec>;

export const DatasetStatus = Type.Object({
  mounts: Type.Optional(Type.Array(Mount)),
  /** Total UFS size, formatted by formatBytes ("550.82MiB"). */
  ufsTotal: Type.Optional(Type.String()),
  phase: Type.Optional(Type.String({ description: datasetPhases.join(' | ') })),
  runtimes: Type.Optional(Type.Array(DatasetRuntime)),
  conditions: Type.Optional(Type.Array(Condition)),
  /** cached, cacheCapacity, cachedPercentage ("0.0%"), cacheHitRatio, ... all strings. */
  cacheStates: Type.Optional(StringMap()),
  hcfs: Type.Optional(Type.Object({ endpoint: Type.Optional(Type.String()), underlayerFileSystemVersion: Type.Optional(Type.String()) })),
  fileNum: Type.Optional(Type.String()),
  dataLoadRef: Type.Optional(Type.String()),
  dataBackupRef: Type.Optional(Type.String()),
  operationRef: Type.Optional(StringMap()),
  datasetRef: Type.Optional(Type.Array(Type.String())),
  /** fluid-ts: where the dataset is FUSE-mounted on this machine, one entry per fuse. */
  mountPoints: Type.Optional(Type.Array(Type.String())),
});
export type DatasetStatus = Static<typeof DatasetStatus>;

export const DatasetSchema = KindObject(DatasetSpec, DatasetStatus);

export const datasetKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'Dataset',
  listKind: 'DatasetList',
  plural: 'datasets',
  singular: 'dataset',
  shortNames: ['dataset'],
  categories: ['fluid'],
  namespaced: true,
  statusSubresource: true,
  schema: DatasetSchema,
  printerColumns: [
    { name: 'Ufs Total Size', type: 'string', jsonPath: '.status.ufsTotal' },
    { name: 'Cached', type: 'string', jsonPath: '.status.cacheStates.cached' },
    { name: 'Cache Capacity', type: 'string', jsonPath: '.status.cacheStates.cacheCapacity' },
    { name: 'Cached Percentage', type: 'string', jsonPath: '.status.cacheStates.cachedPercentage' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'HCFS URL', type: 'string', jsonPath: '.status.hcfs.endpoint', priority: 1 },
    { name: 'TOTAL FILES', type: 'string', jsonPath: '.status.fileNum', priority: 1 },
    { name: 'CACHE HIT RATIO', type: 'string', jsonPath: '.status.cacheStates.cacheHitRatio', priority: 1 },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  validateDelete(obj: unknown): string | undefined {
    const refs = asArray(dig(obj, 'status', 'datasetRef')).filter((r): r is string => typeof r === 'string');
    if (refs.length === 0) return undefined;
    return `it is referenced by dataset${refs.length > 1 ? 's' : ''} ${refs.join(', ')} (status.datasetRef, dataset:// mounts); delete ${refs.length > 1 ? 'those datasets' : 'that dataset'} first`;
  },
  validate(obj: unknown): SemanticResult {
    const errors: FieldError[] = [];
    checkDns1035Name(obj, errors);
    checkMounts(dig(obj, 'spec'), errors);
    const restore = dig(obj, 'spec', 'dataRestoreLocation', 'path');
    if (typeof restore === 'string' && !parseBackupPath(restore)) {
      errors.push({ path: 'spec.dataRestoreLocation.path', type: 'FieldValueInvalid', value: restore, message: 'expected the backupPath of a DataBackup: pvc://<claim name>/<path> or local:///<absolute path>, without ".."' });
    }
    return { errors, warnings: [] };
  },
};

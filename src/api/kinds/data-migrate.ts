// DataMigrate: copy data between a Dataset path (read through its cache) and an external storage
// URI, or from an external URI into a Dataset path (written to the dataset's UFS, then its metadata
// refreshed). Fluid's field names (api/v1alpha1 datamigrate_types.go), plus fluid-ts progress counters.
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import type { FieldError } from '../field-error.js';
import { EncryptOption } from './dataset.js';
import { KindObject, Preserved, StringEnum, StringMap } from './internal/schema.js';
import { OperationRef, OperationStatus, checkSchedule } from './internal/operation-schema.js';
import { dig, isRecord } from './internal/checks.js';
import { mountPointScheme } from './mount-schemes.js';

/** External storage schemes DataMigrate reads; those it also writes. */
export const MIGRATE_READ_SCHEMES = ['local', 'http', 'https', 's3', 's3a'] as const;
export const MIGRATE_WRITE_SCHEMES = ['local', 's3', 's3a'] as const;

const DataToMigrate = Type.Object({
  dataset: Type.Optional(Type.Object({
    name: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String({ description: 'defaults to the DataMigrate namespace' })),
    path: Type.Optional(Type.String({ description: 'path inside the dataset, default "/"' })),
  })),
  externalStorage: Type.Optional(Type.Object({
    uri: Type.String({ minLength: 1, description: 'local:///dir, http(s)://host/dir/ (read only), s3://bucket/prefix' }),
    encryptOptions: Type.Optional(Type.Array(EncryptOption)),
  })),
});

export const DataMigrateSpec = Type.Object({
  image: Type.Optional(Type.String()),
  imageTag: Type.Optional(Type.String()),
  imagePullPolicy: Type.Optional(Type.String()),
  from: DataToMigrate,
  to: DataToMigrate,
  block: Type.Optional(Type.Boolean({ default: false })),
  runtimeType: Type.Optional(Type.String()),
  /** fluid-ts reads `overwrite: "true"` (replace files that exist at the destination). */
  options: Type.Optional(StringMap()),
  policy: Type.Optional(StringEnum(['Once', 'Cron', 'OnEvent'] as const, { default: 'Once' })),
  schedule: Type.Optional(Type.String()),
  podMetadata: Type.Optional(Type.Object({ labels: Type.Optional(StringMap()), annotations: Type.Optional(StringMap()) })),
  affinity: Type.Optional(Preserved('core Affinity')),
  tolerations: Type.Optional(Type.Array(Preserved('core Toleration'))),
  nodeSelector: Type.Optional(StringMap()),
  schedulerName: Type.Optional(Type.String()),
  runAfter: Type.Optional(OperationRef),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
  resources: Type.Optional(Preserved('core ResourceRequirements')),
  /** Files copied at once. */
  parallelism: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  parallelOptions: Type.Optional(StringMap()),
});

export const DataMigrateStatus = OperationStatus({
  progress: Type.Object({
    migratedBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    totalBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    migratedFiles: Type.Optional(Type.Integer({ minimum: 0 })),
    totalFiles: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
});

function checkSide(side: 'from' | 'to', v: unknown, errors: FieldError[]): 'dataset' | 'external' | undefined {
  const path = `spec.${side}`;
  const ds = isRecord(v) ? v['dataset'] : undefined;
  const ext = isRecord(v) ? v['externalStorage'] : undefined;
  if ((ds === undefined) === (ext === undefined)) {
    errors.push({ path, type: 'FieldValueInvalid', message: 'exactly one of dataset and externalStorage must be set' });
    return undefined;
  }
  if (ds !== undefined) {
    const p = isRecord(ds) ? ds['path'] : undefined;
    if (p !== undefined && (typeof p !== 'string' || !p.startsWith('/') || p.split('/').includes('..'))) {
      errors.push({ path: `${path}.dataset.path`, type: 'FieldValueInvalid', value: p, message: 'must be an absolute dataset path without ".."' });
    }
    return 'dataset';
  }
  const uri = isRecord(ext) ? ext['uri'] : undefined;
  const scheme = typeof uri === 'string' ? mountPointScheme(uri) : undefined;
  const allowed: readonly string[] = side === 'from' ? MIGRATE_READ_SCHEMES : MIGRATE_WRITE_SCHEMES;
  if (scheme === undefined || !allowed.includes(scheme)) {
    errors.push({
      path: `${path}.externalStorage.uri`, type: 'FieldValueNotSupported', value: uri,
      message: side === 'to' && (scheme === 'http' || scheme === 'https')
        ? 'http(s) storage is read only; migrate to local:// or s3://'
        : `supported schemes: ${allowed.map((s) => `${s}://`).join(', ')}`,
    });
  }
  return 'external';
}

export const dataMigrateKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'DataMigrate',
  listKind: 'DataMigrateList',
  plural: 'datamigrates',
  singular: 'datamigrate',
  shortNames: ['migrate'],
  categories: ['fluid'],
  namespaced: true,
  statusSubresource: true,
  schema: KindObject(DataMigrateSpec, DataMigrateStatus),
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Duration', type: 'string', jsonPath: '.status.duration' },
  ],
  validate(obj: unknown): SemanticResult {
    const errors: FieldError[] = [];
    const from = checkSide('from', dig(obj, 'spec', 'from'), errors);
    const to = checkSide('to', dig(obj, 'spec', 'to'), errors);
    if (from === 'external' && to === 'external') errors.push({ path: 'spec', type: 'FieldValueInvalid', message: 'one of spec.from and spec.to must be a dataset' });
    if (from === 'dataset' && to === 'dataset') errors.push({ path: 'spec.to', type: 'FieldValueNotSupported', message: 'dataset to dataset is not supported; one side must be externalStorage' });
    checkSchedule(obj, errors);
    return { errors, warnings: [] };
  },
};

// DataLoad: warm a Dataset's cache (Fluid field names), plus fluid-ts progress counters.
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import type { FieldError } from '../field-error.js';
import { KindObject, Preserved, StringEnum, StringMap } from './internal/schema.js';
import { OPERATION_PRINTER_COLUMNS, OperationRef, OperationStatus, TargetDataset, checkSchedule } from './internal/operation-schema.js';

export type DataLoadPhase = 'Pending' | 'Executing' | 'Complete' | 'Failed';

export const DataLoadSpec = Type.Object({
  dataset: TargetDataset,
  loadMetadata: Type.Optional(Type.Boolean({ default: false })),
  target: Type.Optional(Type.Array(Type.Object({
    path: Type.String({ minLength: 1, description: 'path inside the dataset, e.g. /hbase/CHANGES.md' }),
    replicas: Type.Optional(Type.Integer({ minimum: 1 })),
  }))),
  options: Type.Optional(StringMap()),
  podMetadata: Type.Optional(Type.Object({ labels: Type.Optional(StringMap()), annotations: Type.Optional(StringMap()) })),
  affinity: Type.Optional(Preserved('core Affinity')),
  tolerations: Type.Optional(Type.Array(Preserved('core Toleration'))),
  nodeSelector: Type.Optional(StringMap()),
  schedulerName: Type.Optional(Type.String()),
  policy: Type.Optional(StringEnum(['Once', 'Cron', 'OnEvent'] as const, { default: 'Once' })),
  /** Cron schedule (5 fields), required when policy is Cron. */
  schedule: Type.Optional(Type.String()),
  runAfter: Type.Optional(OperationRef),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
  resources: Type.Optional(Preserved('core ResourceRequirements')),
  runtimeType: Type.Optional(Type.String()),
});

export const DataLoadStatus = OperationStatus({
  progress: Type.Object({
    /** Bytes now cached out of the bytes the targets cover. */
    loadedBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    totalBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    loadedFiles: Type.Optional(Type.Integer({ minimum: 0 })),
    totalFiles: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
});

export const dataLoadKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'DataLoad',
  listKind: 'DataLoadList',
  plural: 'dataloads',
  singular: 'dataload',
  shortNames: ['load'],
  categories: ['fluid'],
  namespaced: true,
  statusSubresource: true,
  schema: KindObject(DataLoadSpec, DataLoadStatus),
  printerColumns: OPERATION_PRINTER_COLUMNS,
  validate(obj: unknown): SemanticResult {
    const errors: FieldError[] = [];
    checkSchedule(obj, errors);
    return { errors, warnings: [] };
  },
};

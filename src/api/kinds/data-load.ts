// DataLoad: warm a Dataset's cache (Fluid field names), plus fluid-ts progress counters.
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import type { FieldError } from '../field-error.js';
import { Condition, KindObject, Preserved, StringEnum, StringMap } from './internal/schema.js';
import { dig } from './internal/checks.js';
import { InvalidCronError, parseCronSchedule } from './cron-schedule.js';

export type DataLoadPhase = 'Pending' | 'Executing' | 'Complete' | 'Failed';

export const DataLoadSpec = Type.Object({
  dataset: Type.Object({
    name: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String({ description: 'defaults to the DataLoad namespace' })),
  }),
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
  runAfter: Type.Optional(Preserved('OperationRef')),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
  resources: Type.Optional(Preserved('core ResourceRequirements')),
  runtimeType: Type.Optional(Type.String()),
});

/** Fluid's OperationStatus, plus `progress` (fluid-ts): byte and file counters of the load so far. */
export const DataLoadStatus = Type.Object({
  phase: Type.Optional(Type.String({ description: 'Pending | Executing | Complete | Failed' })),
  duration: Type.Optional(Type.String({ description: 'e.g. "41s"' })),
  conditions: Type.Optional(Type.Array(Condition)),
  infos: Type.Optional(StringMap()),
  lastScheduleTime: Type.Optional(Type.String({ format: 'date-time' })),
  lastSuccessfulTime: Type.Optional(Type.String({ format: 'date-time' })),
  waitingFor: Type.Optional(Preserved()),
  nodeAffinity: Type.Optional(Preserved('core NodeAffinity')),
  progress: Type.Optional(Type.Object({
    /** Bytes now cached out of the bytes the targets cover. */
    loadedBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    totalBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    loadedFiles: Type.Optional(Type.Integer({ minimum: 0 })),
    totalFiles: Type.Optional(Type.Integer({ minimum: 0 })),
  })),
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
  printerColumns: [
    { name: 'Dataset', type: 'string', jsonPath: '.spec.dataset.name' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Duration', type: 'string', jsonPath: '.status.duration' },
  ],
  validate(obj: unknown): SemanticResult {
    const errors: FieldError[] = [];
    const policy = dig(obj, 'spec', 'policy');
    const schedule = dig(obj, 'spec', 'schedule');
    if (policy === 'Cron') {
      if (typeof schedule !== 'string' || schedule.trim() === '') {
        errors.push({ path: 'spec.schedule', type: 'FieldValueRequired', message: 'a cron schedule is required when policy is Cron' });
      } else {
        try {
          parseCronSchedule(schedule);
        } catch (e) {
          errors.push({ path: 'spec.schedule', type: 'FieldValueInvalid', value: schedule, message: e instanceof InvalidCronError ? e.message : 'not a cron schedule' });
        }
      }
    }
    return { errors, warnings: [] };
  },
};

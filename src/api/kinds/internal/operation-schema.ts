// Schema pieces every data operation kind shares (Fluid's api/v1alpha1 common.go and status.go):
// the target dataset, runAfter (OperationRef), and OperationStatus. Private to api/kinds.
import { Type, type TSchema } from '@sinclair/typebox';
import type { PrinterColumn } from '../../kind.js';
import type { FieldError } from '../../field-error.js';
import { InvalidCronError, parseCronSchedule } from '../cron-schedule.js';
import { dig } from './checks.js';
import { Condition, Preserved, StringEnum, StringMap } from './schema.js';

/** The kinds an OperationRef may name: Fluid's enum, plus DataClean (fluid-ts). */
export const OPERATION_REF_KINDS = ['DataLoad', 'DataBackup', 'DataMigrate', 'DataProcess', 'DataClean'] as const;

export const TargetDataset = Type.Object({
  name: Type.String({ minLength: 1 }),
  namespace: Type.Optional(Type.String({ description: 'defaults to the operation namespace' })),
});

/** spec.runAfter: start only once the named operation is Complete. */
export const OperationRef = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: StringEnum(OPERATION_REF_KINDS),
  name: Type.String({ minLength: 1 }),
  namespace: Type.Optional(Type.String({ description: 'defaults to the operation namespace' })),
  affinityStrategy: Type.Optional(Preserved('AffinityStrategy')),
});

/** Fluid's OperationStatus; `extra` adds kind-specific fields (fluid-ts progress counters). */
export function OperationStatus(extra: Record<string, TSchema> = {}): TSchema {
  return Type.Object({
    phase: Type.Optional(Type.String({ description: 'Pending | Executing | Complete | Failed' })),
    duration: Type.Optional(Type.String({ description: 'e.g. "41s"' })),
    conditions: Type.Optional(Type.Array(Condition)),
    infos: Type.Optional(StringMap()),
    lastScheduleTime: Type.Optional(Type.String({ format: 'date-time' })),
    lastSuccessfulTime: Type.Optional(Type.String({ format: 'date-time' })),
    waitingFor: Type.Optional(Type.Object({ operationComplete: Type.Optional(Type.Boolean()) })),
    nodeAffinity: Type.Optional(Preserved('core NodeAffinity')),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Type.Optional(v)])),
  });
}

/** Fluid's printer columns of every data operation: DATASET, PHASE, AGE, DURATION. */
export const OPERATION_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Dataset', type: 'string', jsonPath: '.spec.dataset.name' },
  { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  { name: 'Duration', type: 'string', jsonPath: '.status.duration' },
];

/** policy: Cron needs a valid 5-field spec.schedule. */
export function checkSchedule(obj: unknown, errors: FieldError[]): void {
  if (dig(obj, 'spec', 'policy') !== 'Cron') return;
  const schedule = dig(obj, 'spec', 'schedule');
  if (typeof schedule !== 'string' || schedule.trim() === '') {
    errors.push({ path: 'spec.schedule', type: 'FieldValueRequired', message: 'a cron schedule is required when policy is Cron' });
    return;
  }
  try {
    parseCronSchedule(schedule);
  } catch (e) {
    errors.push({ path: 'spec.schedule', type: 'FieldValueInvalid', value: schedule, message: e instanceof InvalidCronError ? e.message : 'not a cron schedule' });
  }
}

// DataProcess: run a processor (a pod spec, or a script in an image) with the Dataset mounted at
// spec.dataset.mountPath. Fluid's field names (api/v1alpha1 dataprocess_types.go).
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import type { FieldError } from '../field-error.js';
import { KindObject, Preserved, StringEnum, StringMap } from './internal/schema.js';
import { OPERATION_PRINTER_COLUMNS, OperationRef, OperationStatus, checkSchedule } from './internal/operation-schema.js';
import { dig, isRecord } from './internal/checks.js';

export const DataProcessSpec = Type.Object({
  dataset: Type.Object({
    name: Type.String({ minLength: 1 }),
    namespace: Type.Optional(Type.String({ description: 'must be the DataProcess namespace (the dataset PVC is mounted)' })),
    mountPath: Type.String({ minLength: 1, description: 'where the dataset is mounted in the processor containers' }),
    subPath: Type.Optional(Type.String()),
  }),
  processor: Type.Object({
    serviceAccountName: Type.Optional(Type.String()),
    podMetadata: Type.Optional(Type.Object({ labels: Type.Optional(StringMap()), annotations: Type.Optional(StringMap()) })),
    job: Type.Optional(Type.Object({ podSpec: Type.Optional(Preserved('core PodSpec')) })),
    script: Type.Optional(Type.Object({
      image: Type.Optional(Type.String()),
      imageTag: Type.Optional(Type.String()),
      imagePullPolicy: Type.Optional(Type.String()),
      restartPolicy: Type.Optional(StringEnum(['Never', 'OnFailure'] as const, { default: 'Never' })),
      command: Type.Optional(Type.Array(Type.String())),
      source: Type.String({ minLength: 1 }),
      env: Type.Optional(Type.Array(Preserved('core EnvVar'))),
      volumeMounts: Type.Optional(Type.Array(Preserved('core VolumeMount'))),
      volumes: Type.Optional(Type.Array(Preserved('core Volume'))),
      resources: Type.Optional(Preserved('core ResourceRequirements')),
    })),
  }),
  runAfter: Type.Optional(OperationRef),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
  policy: Type.Optional(StringEnum(['Once', 'Cron', 'OnEvent'] as const, { default: 'Once' })),
  schedule: Type.Optional(Type.String()),
});

export const dataProcessKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'DataProcess',
  listKind: 'DataProcessList',
  plural: 'dataprocesses',
  singular: 'dataprocess',
  shortNames: ['process'],
  categories: ['fluid'],
  namespaced: true,
  statusSubresource: true,
  schema: KindObject(DataProcessSpec, OperationStatus()),
  printerColumns: OPERATION_PRINTER_COLUMNS,
  validate(obj: unknown): SemanticResult {
    const errors: FieldError[] = [];
    const p = dig(obj, 'spec', 'processor');
    const job = isRecord(p) ? p['job'] : undefined;
    const script = isRecord(p) ? p['script'] : undefined;
    if ((job === undefined) === (script === undefined)) errors.push({ path: 'spec.processor', type: 'FieldValueInvalid', message: 'exactly one of job and script must be set' });
    if (job !== undefined && !isRecord(dig(job, 'podSpec'))) errors.push({ path: 'spec.processor.job.podSpec', type: 'FieldValueRequired', message: 'a pod spec is required for a job processor' });
    if (script !== undefined && typeof dig(script, 'image') !== 'string') errors.push({ path: 'spec.processor.script.image', type: 'FieldValueRequired', message: 'an image is required for a script processor' });
    const mountPath = dig(obj, 'spec', 'dataset', 'mountPath');
    if (typeof mountPath === 'string' && !mountPath.startsWith('/')) errors.push({ path: 'spec.dataset.mountPath', type: 'FieldValueInvalid', value: mountPath, message: 'must be an absolute path' });
    const ns = dig(obj, 'spec', 'dataset', 'namespace');
    const own = dig(obj, 'metadata', 'namespace');
    if (typeof ns === 'string' && typeof own === 'string' && ns !== own) errors.push({ path: 'spec.dataset.namespace', type: 'FieldValueInvalid', value: ns, message: `must be the DataProcess namespace "${own}" (the dataset's PersistentVolumeClaim is mounted into the processor pod)` });
    checkSchedule(obj, errors);
    return { errors, warnings: [] };
  },
};

// Pieces shared by the four runtime kinds (Alluxio, Jindo, JuiceFS, Thin): tiered store,
// component templates, the common RuntimeStatus, Fluid's printer columns, and the semantic checks.
import { Type, type TSchema } from '@sinclair/typebox';
import type { KindDefinition, PrinterColumn, SemanticResult } from '../../kind.js';
import type { FieldError } from '../../field-error.js';
import type { ParseQuantityOptions } from '../../quantity.js';
import { Condition, IntOrString, KindObject, Preserved, StringEnum, StringMap } from './schema.js';
import { checkDns1035Name, checkMasterReplicas, checkTieredStore, dig } from './checks.js';

export const MediumType = StringEnum(['MEM', 'SSD', 'HDD'] as const);
export const VolumeType = StringEnum(['hostPath', 'emptyDir', 'persistentVolumeClaim'] as const);

/** One cache tier. `path` may list several directories separated by commas (quotaList likewise). */
export const Level = Type.Object({
  mediumtype: MediumType,
  volumeType: Type.Optional(StringEnum(['hostPath', 'emptyDir', 'persistentVolumeClaim'] as const, { default: 'hostPath' })),
  volumeSource: Type.Optional(Preserved('core VolumeSource for emptyDir / persistentVolumeClaim')),
  path: Type.Optional(Type.String()),
  quota: Type.Optional(IntOrString({ description: 'cache size of the tier (quantity; plain numbers are MiB for JuiceFS)' })),
  quotaList: Type.Optional(Type.String({ description: 'comma-separated quotas, one per path' })),
  high: Type.Optional(Type.String({ description: 'high watermark ratio, "0.95"' })),
  low: Type.Optional(Type.String({ description: 'low watermark ratio, "0.7"' })),
});

export const TieredStore = Type.Object({ levels: Type.Optional(Type.Array(Level)) });

export const VersionSpec = Type.Object({
  image: Type.Optional(Type.String()),
  imageTag: Type.Optional(Type.String()),
  imagePullPolicy: Type.Optional(Type.String()),
});

export const PodMetadata = Type.Object({ labels: Type.Optional(StringMap()), annotations: Type.Optional(StringMap()) });

/**
 * Fluid's component `env` and `ports` come in two shapes: string map / name->port map for
 * Alluxio and Jindo, core EnvVar[] / ContainerPort[] for JuiceFS and Thin.
 */
export type EnvShape = 'map' | 'list';
function envSchema(shape: EnvShape): TSchema {
  return shape === 'map' ? StringMap() : Type.Array(Preserved('core EnvVar'));
}

/** master / worker / jobMaster / ... template; `extra` adds kind-specific fields. */
export function ComponentSpec(env: EnvShape, extra: Record<string, TSchema> = {}): TSchema {
  const props: Record<string, TSchema> = {
    replicas: Type.Optional(Type.Integer({ minimum: 0 })),
    jvmOptions: Type.Optional(Type.Array(Type.String())),
    properties: Type.Optional(StringMap()),
    options: Type.Optional(StringMap()),
    ports: Type.Optional(env === 'map' ? Type.Record(Type.String(), Type.Integer()) : Type.Array(Preserved('core ContainerPort'))),
    livenessProbe: Type.Optional(Preserved('core Probe')),
    readinessProbe: Type.Optional(Preserved('core Probe')),
    resources: Type.Optional(Preserved('core ResourceRequirements')),
    env: Type.Optional(envSchema(env)),
    enabled: Type.Optional(Type.Boolean()),
    disabled: Type.Optional(Type.Boolean()),
    nodeSelector: Type.Optional(StringMap()),
    tolerations: Type.Optional(Type.Array(Preserved('core Toleration'))),
    networkMode: Type.Optional(Type.String()),
    podMetadata: Type.Optional(PodMetadata),
    volumeMounts: Type.Optional(Type.Array(Preserved('core VolumeMount'))),
    image: Type.Optional(Type.String()),
    imageTag: Type.Optional(Type.String()),
    imagePullPolicy: Type.Optional(Type.String()),
    imagePullSecrets: Type.Optional(Type.Array(Preserved('core LocalObjectReference'))),
    labels: Type.Optional(StringMap()),
    annotations: Type.Optional(StringMap()),
  };
  for (const k of Object.keys(extra)) props[k] = Type.Optional(extra[k] ?? Type.Unknown());
  return Type.Object(props);
}

/** fuse: as a component, plus args, cleanPolicy, launch mode. */
export function FuseSpec(env: EnvShape, extra: Record<string, TSchema> = {}): TSchema {
  return ComponentSpec(env, {
    args: Type.Array(Type.String()),
    command: Type.Array(Type.String()),
    cleanPolicy: StringEnum(['OnDemand', 'OnRuntimeDeleted'] as const),
    global: Type.Boolean(),
    launchMode: Type.String(),
    lifecycle: Preserved('core Lifecycle'),
    logConfig: StringMap(),
    metrics: Preserved('ClientMetrics'),
    ...extra,
  });
}

/** Fields every runtime spec has. */
export function runtimeSpecCommon(env: EnvShape): Record<string, TSchema> {
  return {
    replicas: Type.Optional(Type.Integer({ minimum: 0, description: 'number of workers' })),
    tieredstore: Type.Optional(TieredStore),
    master: Type.Optional(ComponentSpec(env)),
    worker: Type.Optional(ComponentSpec(env)),
    fuse: Type.Optional(FuseSpec(env)),
    properties: Type.Optional(StringMap()),
    jvmOptions: Type.Optional(Type.Array(Type.String())),
    volumes: Type.Optional(Type.Array(Preserved('core Volume'))),
    data: Type.Optional(Type.Object({ replicas: Type.Optional(Type.Integer({ minimum: 0 })), pin: Type.Optional(Type.Boolean()) })),
    management: Type.Optional(Type.Object({
      /** At runtime shutdown the cache is freed through the workers; each attempt may take gracePeriodSeconds. */
      cleanCachePolicy: Type.Optional(Type.Object({
        gracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0, default: 60 })),
        maxRetryAttempts: Type.Optional(Type.Integer({ minimum: 0, default: 3 })),
      })),
      metadataSyncPolicy: Type.Optional(Type.Object({ autoSync: Type.Optional(Type.Boolean()) })),
    })),
    disablePrometheus: Type.Optional(Type.Boolean()),
    podMetadata: Type.Optional(PodMetadata),
    imagePullSecrets: Type.Optional(Type.Array(Preserved('core LocalObjectReference'))),
    networkmode: Type.Optional(Type.String()),
    runAs: Type.Optional(Type.Object({
      uid: Type.Optional(Type.Integer()), gid: Type.Optional(Type.Integer()),
      user: Type.Optional(Type.String()), group: Type.Optional(Type.String()),
    })),
    cleanCachePolicy: Type.Optional(Preserved()),
  };
}

const CacheStates = StringMap({ description: 'cached, cacheCapacity, cachedPercentage, cacheHitRatio, ... (strings)' });

/** Fluid's RuntimeStatus, shared by every runtime kind. Phases: NotReady | PartialReady | Ready | Not Enabled. */
export const RuntimeStatus = Type.Object({
  valueFile: Type.Optional(Type.String()),
  masterPhase: Type.Optional(Type.String()),
  masterReason: Type.Optional(Type.String()),
  workerPhase: Type.Optional(Type.String()),
  workerReason: Type.Optional(Type.String()),
  fusePhase: Type.Optional(Type.String()),
  fuseReason: Type.Optional(Type.String()),
  desiredMasterNumberScheduled: Type.Optional(Type.Integer()),
  currentMasterNumberScheduled: Type.Optional(Type.Integer()),
  masterNumberReady: Type.Optional(Type.Integer()),
  desiredWorkerNumberScheduled: Type.Optional(Type.Integer()),
  currentWorkerNumberScheduled: Type.Optional(Type.Integer()),
  workerNumberReady: Type.Optional(Type.Integer()),
  workerNumberAvailable: Type.Optional(Type.Integer()),
  workerNumberUnavailable: Type.Optional(Type.Integer()),
  desiredFuseNumberScheduled: Type.Optional(Type.Integer()),
  currentFuseNumberScheduled: Type.Optional(Type.Integer()),
  fuseNumberReady: Type.Optional(Type.Integer()),
  fuseNumberAvailable: Type.Optional(Type.Integer()),
  fuseNumberUnavailable: Type.Optional(Type.Integer()),
  setupDuration: Type.Optional(Type.String()),
  cacheStates: Type.Optional(CacheStates),
  conditions: Type.Optional(Type.Array(Condition)),
  selector: Type.Optional(Type.String()),
  mountTime: Type.Optional(Type.String({ format: 'date-time' })),
  mounts: Type.Optional(Type.Array(Preserved('Dataset mounts as last mounted'))),
  apiGateway: Type.Optional(Type.Object({ endpoint: Type.Optional(Type.String()) })),
  cacheAffinity: Type.Optional(Preserved()),
  fuseNodeSelector: Type.Optional(StringMap()),
  masterNodeSelector: Type.Optional(StringMap()),
});

/** Fluid's runtime columns; the non-phase counts are wide-only (priority 1). */
export const runtimePrinterColumns: readonly PrinterColumn[] = [
  { name: 'Ready Masters', type: 'integer', jsonPath: '.status.masterNumberReady', priority: 1 },
  { name: 'Desired Masters', type: 'integer', jsonPath: '.status.desiredMasterNumberScheduled', priority: 1 },
  { name: 'Master Phase', type: 'string', jsonPath: '.status.masterPhase', priority: 0 },
  { name: 'Ready Workers', type: 'integer', jsonPath: '.status.workerNumberReady', priority: 1 },
  { name: 'Desired Workers', type: 'integer', jsonPath: '.status.desiredWorkerNumberScheduled', priority: 1 },
  { name: 'Worker Phase', type: 'string', jsonPath: '.status.workerPhase', priority: 0 },
  { name: 'Ready Fuses', type: 'integer', jsonPath: '.status.fuseNumberReady', priority: 1 },
  { name: 'Desired Fuses', type: 'integer', jsonPath: '.status.desiredFuseNumberScheduled', priority: 1 },
  { name: 'Fuse Phase', type: 'string', jsonPath: '.status.fusePhase', priority: 0 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', priority: 0 },
];

export interface RuntimeKindOptions {
  readonly kind: string;
  readonly shortNames?: readonly string[];
  readonly spec: TSchema;
  /** Quota parsing for tieredstore (JuiceFS: plain numbers are MiB). */
  readonly quota?: ParseQuantityOptions;
  /** Printer columns; Fluid's full runtime list by default. */
  readonly printerColumns?: readonly PrinterColumn[];
  /** Extra kind-specific checks. */
  readonly extraChecks?: (obj: unknown, errors: FieldError[], warnings: string[]) => void;
}

/** Builds the KindDefinition of one runtime kind. */
export function runtimeKind(o: RuntimeKindOptions): KindDefinition {
  const lower = o.kind.toLowerCase();
  return {
    group: 'data.fluid.io',
    version: 'v1alpha1',
    kind: o.kind,
    listKind: `${o.kind}List`,
    plural: `${lower}s`,
    singular: lower,
    shortNames: o.shortNames ?? [],
    categories: ['fluid'],
    namespaced: true,
    statusSubresource: true,
    // Fluid's runtimes scale their workers: kubectl scale <runtime> --replicas=N.
    scaleSubresource: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.currentWorkerNumberScheduled', labelSelectorPath: '.status.selector' },
    schema: KindObject(o.spec, RuntimeStatus),
    printerColumns: o.printerColumns ?? runtimePrinterColumns,
    validate(obj: unknown): SemanticResult {
      const errors: FieldError[] = [];
      const warnings: string[] = [];
      checkDns1035Name(obj, errors);
      const spec = dig(obj, 'spec');
      checkTieredStore(spec, errors, o.quota);
      checkMasterReplicas(spec, warnings);
      o.extraChecks?.(obj, errors, warnings);
      return { errors, warnings };
    },
  };
}

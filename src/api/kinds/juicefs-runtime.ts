// JuiceFSRuntime (Fluid field names). tieredstore quotas that are plain numbers mean MiB.
import { Type } from '@sinclair/typebox';
import type { KindDefinition } from '../kind.js';
import { Preserved, StringMap } from './internal/schema.js';
import { ComponentSpec, VersionSpec, runtimeKind, runtimePrinterColumns, runtimeSpecCommon } from './internal/runtime-schema.js';

export const JuiceFSRuntimeSpec = Type.Object({
  ...runtimeSpecCommon('list'),
  juicefsVersion: Type.Optional(VersionSpec),
  initUsers: Type.Optional(Type.Object({
    image: Type.Optional(Type.String()), imageTag: Type.Optional(Type.String()), imagePullPolicy: Type.Optional(Type.String()),
    env: Type.Optional(StringMap()), resources: Type.Optional(Preserved('core ResourceRequirements')),
  })),
  jobWorker: Type.Optional(ComponentSpec('list')),
  configs: Type.Optional(Type.Array(Type.String())),
  volumeClaimTemplates: Type.Optional(Type.Array(Preserved('core PersistentVolumeClaim'))),
});

/** JuiceFS has no master columns in Fluid. */
const juicefsColumns = runtimePrinterColumns.filter((c) => !c.name.includes('Master'));

export const juiceFSRuntimeKind: KindDefinition = runtimeKind({
  kind: 'JuiceFSRuntime',
  shortNames: ['juicefs'],
  spec: JuiceFSRuntimeSpec,
  quota: { plainNumberUnit: 2 ** 20 },
  printerColumns: juicefsColumns,
});

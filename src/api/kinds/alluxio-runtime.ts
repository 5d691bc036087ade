// AlluxioRuntime: served by fluid-ts's own master/worker cache engine (Fluid field names).
import { Type } from '@sinclair/typebox';
import type { KindDefinition } from '../kind.js';
import { Preserved, StringMap } from './internal/schema.js';
import { ComponentSpec, VersionSpec, runtimeKind, runtimePrinterColumns, runtimeSpecCommon } from './internal/runtime-schema.js';

export const AlluxioRuntimeSpec = Type.Object({
  ...runtimeSpecCommon('map'),
  alluxioVersion: Type.Optional(VersionSpec),
  jobMaster: Type.Optional(ComponentSpec('map')),
  jobWorker: Type.Optional(ComponentSpec('map')),
  apiGateway: Type.Optional(ComponentSpec('map')),
  initUsers: Type.Optional(Type.Object({
    image: Type.Optional(Type.String()), imageTag: Type.Optional(Type.String()), imagePullPolicy: Type.Optional(Type.String()),
    env: Type.Optional(StringMap()), resources: Type.Optional(Preserved('core ResourceRequirements')),
  })),
  hadoopConfig: Type.Optional(Type.String()),
});

export const alluxioRuntimeKind: KindDefinition = runtimeKind({
  kind: 'AlluxioRuntime',
  shortNames: ['alluxio'],
  spec: AlluxioRuntimeSpec,
  printerColumns: [
    ...runtimePrinterColumns.slice(0, -1),
    { name: 'API Gateway', type: 'string', jsonPath: '.status.apiGateway.endpoint', priority: 1 },
    ...runtimePrinterColumns.slice(-1),
  ],
});

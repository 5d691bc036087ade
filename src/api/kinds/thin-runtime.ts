// ThinRuntime: a FUSE program from a ThinRuntimeProfile mounts a third-party file system.
// spec.profileName names a cluster-scoped ThinRuntimeProfile.
import { Type } from '@sinclair/typebox';
import type { KindDefinition } from '../kind.js';
import { runtimeKind, runtimePrinterColumns, runtimeSpecCommon } from './internal/runtime-schema.js';

export const ThinRuntimeSpec = Type.Object({
  ...runtimeSpecCommon('list'),
  profileName: Type.Optional(Type.String({ description: 'name of the ThinRuntimeProfile to use' })),
});

export const thinRuntimeKind: KindDefinition = runtimeKind({
  kind: 'ThinRuntime',
  shortNames: ['thin'],
  spec: ThinRuntimeSpec,
  printerColumns: runtimePrinterColumns.filter((c) => !c.name.includes('Master')),
});

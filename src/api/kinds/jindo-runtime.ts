// JindoRuntime: served by fluid-ts's own master/worker cache engine (Fluid field names).
// master.properties["namespace.meta-dir"] is the journal directory (seed 000).
import { Type } from '@sinclair/typebox';
import type { KindDefinition } from '../kind.js';
import { StringMap } from './internal/schema.js';
import { VersionSpec, runtimeKind, runtimeSpecCommon } from './internal/runtime-schema.js';

export const JindoRuntimeSpec = Type.Object({
  ...runtimeSpecCommon('map'),
  jindoVersion: Type.Optional(VersionSpec),
  user: Type.Optional(Type.String()),
  hadoopConfig: Type.Optional(Type.String()),
  /** Name of a Secret holding OSS credentials. */
  secret: Type.Optional(Type.String()),
  labels: Type.Optional(StringMap()),
  logConfig: Type.Optional(StringMap()),
});

export const jindoRuntimeKind: KindDefinition = runtimeKind({ kind: 'JindoRuntime', shortNames: ['jindo'], spec: JindoRuntimeSpec });

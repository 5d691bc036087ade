// ThinRuntimeProfile (cluster-scoped): how to run one kind of third-party FUSE client.
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import { KindObject, Preserved, StringEnum } from './internal/schema.js';
import { ComponentSpec, FuseSpec } from './internal/runtime-schema.js';

export const ThinRuntimeProfileSpec = Type.Object({
  /** fsType of the mount the FUSE program makes: "fuse", "fuse.s3fs", ... */
  fileSystemType: Type.String({ minLength: 1 }),
  imagePullSecrets: Type.Optional(Type.Array(Preserved('core LocalObjectReference'))),
  worker: Type.Optional(ComponentSpec('list')),
  fuse: Type.Optional(FuseSpec('list')),
  volumes: Type.Optional(Type.Array(Preserved('core Volume'))),
  nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
  nodePublishSecretPolicy: Type.Optional(StringEnum(['NotMountNodePublishSecret', 'MountNodePublishSecretIfExists', 'CopyNodePublishSecretAndMountIfNotExists'] as const)),
});

export const thinRuntimeProfileKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'ThinRuntimeProfile',
  listKind: 'ThinRuntimeProfileList',
  plural: 'thinruntimeprofiles',
  singular: 'thinruntimeprofile',
  shortNames: [],
  categories: ['fluid'],
  namespaced: false,
  statusSubresource: true,
  schema: KindObject(ThinRuntimeProfileSpec, Type.Object({}, { 'x-kubernetes-preserve-unknown-fields': true })),
  printerColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
  /** Names follow the API server's generic rules; the schema covers the rest. */
  validate(): SemanticResult {
    return { errors: [], warnings: [] };
  },
};

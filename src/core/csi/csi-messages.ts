// The CSI messages this node plugin serves, as plain objects (what the protobuf decoder yields with
// `oneofs`; absent fields are undefined, maps are records). Field names follow the CSI spec's
// proto3 names in lowerCamelCase. Only the Identity and Node services are modelled: fluid-ts's
// volumes are created by the runtime controller (static PVs), so there is no Controller service.

/** VolumeCapability.AccessMode.Mode. */
export const AccessMode = {
  UNKNOWN: 0,
  SINGLE_NODE_WRITER: 1,
  SINGLE_NODE_READER_ONLY: 2,
  MULTI_NODE_READER_ONLY: 3,
  MULTI_NODE_SINGLE_WRITER: 4,
  MULTI_NODE_MULTI_WRITER: 5,
  SINGLE_NODE_SINGLE_WRITER: 6,
  SINGLE_NODE_MULTI_WRITER: 7,
} as const;

/** NodeServiceCapability.RPC.Type. */
export const NodeRpcType = { UNKNOWN: 0, STAGE_UNSTAGE_VOLUME: 1, GET_VOLUME_STATS: 2, EXPAND_VOLUME: 3 } as const;

export interface VolumeCapability {
  readonly block?: Record<string, never>;
  readonly mount?: { readonly fsType?: string; readonly mountFlags?: readonly string[]; readonly volumeMountGroup?: string };
  readonly accessMode?: { readonly mode?: number };
}

export interface NodeStageVolumeRequest {
  readonly volumeId?: string;
  readonly publishContext?: Readonly<Record<string, string>>;
  readonly stagingTargetPath?: string;
  readonly volumeCapability?: VolumeCapability;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly volumeContext?: Readonly<Record<string, string>>;
}

export interface NodeUnstageVolumeRequest {
  readonly volumeId?: string;
  readonly stagingTargetPath?: string;
}

export interface NodePublishVolumeRequest {
  readonly volumeId?: string;
  readonly publishContext?: Readonly<Record<string, string>>;
  readonly stagingTargetPath?: string;
  readonly targetPath?: string;
  readonly volumeCapability?: VolumeCapability;
  readonly readonly?: boolean;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly volumeContext?: Readonly<Record<string, string>>;
}

export interface NodeUnpublishVolumeRequest {
  readonly volumeId?: string;
  readonly targetPath?: string;
}

/** The volume_context keys fluid-ts's PVs carry (PersistentVolume spec.csi.volumeAttributes). */
export const VolumeContextKey = {
  fluidPath: 'fluid_path',
  mountType: 'mount_type',
  runtimeName: 'runtime_name',
  runtimeNamespace: 'runtime_namespace',
} as const;

// Validation of the Node service's requests: each function checks the fields the CSI spec marks
// REQUIRED (in the order the spec lists them, so the first missing one is named) and fluid-ts's own
// volume_context keys, and returns what the plugin acts on. Pure: no I/O.
import { AccessMode, VolumeContextKey, type NodePublishVolumeRequest, type NodeStageVolumeRequest, type NodeUnpublishVolumeRequest, type NodeUnstageVolumeRequest, type VolumeCapability } from './csi-messages.js';
import { CsiError, CsiMissingFieldError } from './csi-error.js';

/** The dataset a volume serves: Fluid's PVs name their runtime in volume_context. */
export interface DatasetRef {
  readonly namespace: string;
  readonly name: string;
}

export interface StageIntent {
  readonly volumeId: string;
  readonly stagingTargetPath: string;
  readonly dataset: DatasetRef;
  /** Host path of the dataset's FUSE mount (volume_context fluid_path). */
  readonly fluidPath: string;
}

export interface PublishIntent {
  readonly volumeId: string;
  readonly targetPath: string;
  readonly fluidPath: string;
  readonly readOnly: boolean;
  readonly dataset: DatasetRef;
}

export interface UnpublishIntent {
  readonly volumeId: string;
  readonly targetPath: string;
}

export interface UnstageIntent {
  readonly volumeId: string;
  readonly stagingTargetPath: string;
}

function required(method: string, field: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new CsiMissingFieldError(method, field);
  return value;
}

function absolutePath(method: string, field: string, value: string | undefined): string {
  const v = required(method, field, value);
  if (!v.startsWith('/')) throw new CsiError('InvalidArgument', `${method}: ${field} must be an absolute path, got ${JSON.stringify(v)}`);
  if (v.split('/').includes('..')) throw new CsiError('InvalidArgument', `${method}: ${field} must not contain "..", got ${JSON.stringify(v)}`);
  return v;
}

/** Fluid volumes are FUSE file systems: only the mount access type, any access mode but UNKNOWN. */
function checkCapability(method: string, field: string, cap: VolumeCapability | undefined): VolumeCapability {
  if (!cap) throw new CsiMissingFieldError(method, field);
  if (cap.block) throw new CsiError('InvalidArgument', `${method}: ${field}.block is not supported: fluid volumes are file systems (use access type mount)`);
  if (!cap.mount) throw new CsiMissingFieldError(method, `${field}.mount`, 'the access type');
  const mode = cap.accessMode?.mode ?? AccessMode.UNKNOWN;
  if (!(Object.values(AccessMode) as number[]).includes(mode) || mode === AccessMode.UNKNOWN) {
    throw new CsiError('InvalidArgument', `${method}: ${field}.access_mode.mode ${mode} is not a supported access mode`);
  }
  return cap;
}

function datasetOf(method: string, ctx: Readonly<Record<string, string>> | undefined): { dataset: DatasetRef; fluidPath: string } {
  const c = ctx ?? {};
  const key = (k: string): string => required(method, `volume_context["${k}"]`, c[k]);
  return {
    dataset: { namespace: key(VolumeContextKey.runtimeNamespace), name: key(VolumeContextKey.runtimeName) },
    fluidPath: absolutePath(method, `volume_context["${VolumeContextKey.fluidPath}"]`, c[VolumeContextKey.fluidPath]),
  };
}

export function validateStage(req: NodeStageVolumeRequest): StageIntent {
  const m = 'NodeStageVolume';
  const volumeId = required(m, 'volume_id', req.volumeId);
  const stagingTargetPath = absolutePath(m, 'staging_target_path', req.stagingTargetPath);
  checkCapability(m, 'volume_capability', req.volumeCapability);
  return { volumeId, stagingTargetPath, ...datasetOf(m, req.volumeContext) };
}

export function validatePublish(req: NodePublishVolumeRequest): PublishIntent {
  const m = 'NodePublishVolume';
  const volumeId = required(m, 'volume_id', req.volumeId);
  const targetPath = absolutePath(m, 'target_path', req.targetPath);
  const cap = checkCapability(m, 'volume_capability', req.volumeCapability);
  // The plugin advertises STAGE_UNSTAGE_VOLUME, so the CO must pass the staging path it staged.
  absolutePath(m, 'staging_target_path', req.stagingTargetPath);
  const { dataset, fluidPath } = datasetOf(m, req.volumeContext);
  const mode = cap.accessMode?.mode;
  const readOnly = req.readonly === true || mode === AccessMode.SINGLE_NODE_READER_ONLY || mode === AccessMode.MULTI_NODE_READER_ONLY;
  return { volumeId, targetPath, fluidPath, readOnly, dataset };
}

export function validateUnpublish(req: NodeUnpublishVolumeRequest): UnpublishIntent {
  const m = 'NodeUnpublishVolume';
  return { volumeId: required(m, 'volume_id', req.volumeId), targetPath: absolutePath(m, 'target_path', req.targetPath) };
}

export function validateUnstage(req: NodeUnstageVolumeRequest): UnstageIntent {
  const m = 'NodeUnstageVolume';
  return { volumeId: required(m, 'volume_id', req.volumeId), stagingTargetPath: absolutePath(m, 'staging_target_path', req.stagingTargetPath) };
}

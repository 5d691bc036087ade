// CSI Node request validation: each case is a request and the exact outcome (the intent the plugin
// acts on, or the InvalidArgument message naming the first missing/bad field).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessMode } from '../../../src/core/csi/csi-messages.js';
import { CsiError } from '../../../src/core/csi/csi-error.js';
import { validatePublish, validateStage, validateUnpublish, validateUnstage } from '../../../src/core/csi/node-requests.js';

const ctx = { fluid_path: '/runtime-mnt/alluxio/default/hbase/alluxio-fuse', runtime_name: 'hbase', runtime_namespace: 'default', mount_type: 'fuse.alluxio-fuse' };
const mountCap = (mode: number = AccessMode.MULTI_NODE_MULTI_WRITER) => ({ mount: {}, accessMode: { mode } });

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (err) {
    assert.ok(err instanceof CsiError, `not a CsiError: ${String(err)}`);
    return `${err.status}: ${err.message}`;
  }
}

const stageCases: [string, Parameters<typeof validateStage>[0], unknown][] = [
  ['no volume id', { stagingTargetPath: '/s', volumeCapability: mountCap() }, 'InvalidArgument: NodeStageVolume: volume_id is required'],
  ['no staging path', { volumeId: 'default-hbase', volumeCapability: mountCap() }, 'InvalidArgument: NodeStageVolume: staging_target_path is required'],
  ['relative staging path', { volumeId: 'v', stagingTargetPath: 's', volumeCapability: mountCap() }, 'InvalidArgument: NodeStageVolume: staging_target_path must be an absolute path, got "s"'],
  ['no capability', { volumeId: 'v', stagingTargetPath: '/s' }, 'InvalidArgument: NodeStageVolume: volume_capability is required'],
  ['block access', { volumeId: 'v', stagingTargetPath: '/s', volumeCapability: { block: {}, accessMode: { mode: 1 } } }, 'InvalidArgument: NodeStageVolume: volume_capability.block is not supported: fluid volumes are file systems (use access type mount)'],
  ['unknown access mode', { volumeId: 'v', stagingTargetPath: '/s', volumeCapability: mountCap(0) }, 'InvalidArgument: NodeStageVolume: volume_capability.access_mode.mode 0 is not a supported access mode'],
  ['no runtime in context', { volumeId: 'v', stagingTargetPath: '/s', volumeCapability: mountCap(), volumeContext: { fluid_path: '/x' } }, 'InvalidArgument: NodeStageVolume: volume_context["runtime_namespace"] is required'],
  ['relative fluid_path', { volumeId: 'v', stagingTargetPath: '/s', volumeCapability: mountCap(), volumeContext: { ...ctx, fluid_path: 'x/..' } }, 'InvalidArgument: NodeStageVolume: volume_context["fluid_path"] must be an absolute path, got "x/.."'],
  ['valid', { volumeId: 'default-hbase', stagingTargetPath: '/var/lib/kubelet/plugins/kubernetes.io/csi/fuse.csi.fluid.io/abc/globalmount', volumeCapability: mountCap(), volumeContext: ctx },
    { volumeId: 'default-hbase', stagingTargetPath: '/var/lib/kubelet/plugins/kubernetes.io/csi/fuse.csi.fluid.io/abc/globalmount', dataset: { namespace: 'default', name: 'hbase' }, fluidPath: ctx.fluid_path }],
];

for (const [name, req, want] of stageCases) {
  test(`NodeStageVolume request: ${name}`, () => assert.deepEqual(outcome(() => validateStage(req)), want));
}

const pub = { volumeId: 'default-hbase', targetPath: '/pods/u/volumes/kubernetes.io~csi/default-hbase/mount', stagingTargetPath: '/staging', volumeContext: ctx };
const publishCases: [string, Parameters<typeof validatePublish>[0], unknown][] = [
  ['no volume id', { targetPath: '/t' }, 'InvalidArgument: NodePublishVolume: volume_id is required'],
  ['no target path', { volumeId: 'v' }, 'InvalidArgument: NodePublishVolume: target_path is required'],
  ['no capability', { volumeId: 'v', targetPath: '/t' }, 'InvalidArgument: NodePublishVolume: volume_capability is required'],
  ['no staging path', { volumeId: 'v', targetPath: '/t', volumeCapability: mountCap() }, 'InvalidArgument: NodePublishVolume: staging_target_path is required'],
  ['read-write', { ...pub, volumeCapability: mountCap() }, { volumeId: pub.volumeId, targetPath: pub.targetPath, fluidPath: ctx.fluid_path, readOnly: false, dataset: { namespace: 'default', name: 'hbase' } }],
  ['readonly flag', { ...pub, volumeCapability: mountCap(), readonly: true }, { volumeId: pub.volumeId, targetPath: pub.targetPath, fluidPath: ctx.fluid_path, readOnly: true, dataset: { namespace: 'default', name: 'hbase' } }],
  ['ReadOnlyMany access mode', { ...pub, volumeCapability: mountCap(AccessMode.MULTI_NODE_READER_ONLY) }, { volumeId: pub.volumeId, targetPath: pub.targetPath, fluidPath: ctx.fluid_path, readOnly: true, dataset: { namespace: 'default', name: 'hbase' } }],
];

for (const [name, req, want] of publishCases) {
  test(`NodePublishVolume request: ${name}`, () => assert.deepEqual(outcome(() => validatePublish(req)), want));
}

test('NodeUnpublishVolume and NodeUnstageVolume name the first missing field', () => {
  assert.equal(outcome(() => validateUnpublish({})), 'InvalidArgument: NodeUnpublishVolume: volume_id is required');
  assert.equal(outcome(() => validateUnpublish({ volumeId: 'v' })), 'InvalidArgument: NodeUnpublishVolume: target_path is required');
  assert.equal(outcome(() => validateUnstage({ stagingTargetPath: '/s' })), 'InvalidArgument: NodeUnstageVolume: volume_id is required');
  assert.equal(outcome(() => validateUnstage({ volumeId: 'v' })), 'InvalidArgument: NodeUnstageVolume: staging_target_path is required');
  assert.deepEqual(validateUnstage({ volumeId: 'v', stagingTargetPath: '/s' }), { volumeId: 'v', stagingTargetPath: '/s' });
});

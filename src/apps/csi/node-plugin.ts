// The CSI node plugin `fuse.csi.fluid.io` (Fluid's semantics, seed 003):
//   NodeStageVolume     labels this node fluid.io/f-<ns>-<name>=true, so the runtime's FUSE DaemonSet
//                       starts a FUSE pod here; remembers the dataset in <staging>/fluid-volume.json;
//   NodePublishVolume   waits (bounded) until the dataset's FUSE mount at fluid_path is a live FUSE
//                       mount, then bind-mounts it at the pod's target path (read-only when the volume is);
//   NodeUnpublishVolume unmounts the target path and removes the directory it created;
//   NodeUnstageVolume   with fuse.cleanPolicy OnDemand, removes the label once no pod on this node uses
//                       the dataset (the FUSE pod then leaves); with OnRuntimeDeleted the label stays.
// Every call is idempotent: the kubelet retries after a failure or a restart of this plugin.
// Request validation and the unstage decision are pure (core/csi); this file does the I/O.
import { mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsiError } from '../../core/csi/csi-error.js';
import { NodeRpcType, type NodePublishVolumeRequest, type NodeStageVolumeRequest, type NodeUnpublishVolumeRequest, type NodeUnstageVolumeRequest } from '../../core/csi/csi-messages.js';
import { fuseMountState, notReadyMessage } from '../../core/csi/fuse-readiness.js';
import { validatePublish, validateStage, validateUnpublish, validateUnstage, type DatasetRef } from '../../core/csi/node-requests.js';
import { effectiveCleanPolicy, podsUsingDataset, runtimeKindOfType, unstageAction, type CleanPolicy, type NodePodUse } from '../../core/csi/unstage-decision.js';
import { CSI_DRIVER, fuseNodeLabel } from '../../core/workloads/names.js';
import type { KubeObject, Pod } from '../../core/workloads/kube-object.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { R, runtimeResource } from '../../adapters/kube/resources.js';
import { answers, bindMount, mountAt, readMountInfo, unmountAll } from '../../adapters/csi/bind-mount.js';
import type { CsiHandler } from '../../adapters/csi/csi-grpc-server.js';

export const PLUGIN_VERSION = '0.1.0';
/** File in the staging directory naming the staged dataset (read by NodeUnstageVolume). */
export const STAGE_STATE_FILE = 'fluid-volume.json';

export interface NodePluginOptions {
  readonly nodeId: string;
  readonly client: KubeClient;
  /** How long NodePublishVolume waits for the FUSE mount before failing with DeadlineExceeded. */
  readonly publishTimeoutMs: number;
  readonly pollMs?: number;
  /**
   * Where a path of the volume context (fluid_path) is on this host. Node hosts that share one
   * filesystem (scripts/kube-cluster.sh) keep their pods' hostPaths under their own root; default:
   * the path itself, as on a real node.
   */
  readonly hostPath?: (p: string) => string;
  readonly log: (msg: string) => void;
}

interface StageState extends DatasetRef {
  readonly volumeId: string;
  readonly fluidPath: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The API call failed: the plugin cannot act yet (kubelet retries). Names what was attempted. */
function apiFailure(what: string, err: unknown): CsiError {
  const status = err instanceof KubeApiError && (err.status === 403 || err.status === 401) ? 'FailedPrecondition' : 'Unavailable';
  return new CsiError(status, `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

export class NodePlugin {
  private readonly pollMs: number;
  private closed = false;

  constructor(private readonly o: NodePluginOptions) {
    this.pollMs = o.pollMs ?? 500;
  }

  /** Stops waits in progress (they fail with Unavailable). */
  close(): void {
    this.closed = true;
  }

  identityHandlers(): Record<string, CsiHandler> {
    return {
      GetPluginInfo: () => Promise.resolve({ name: CSI_DRIVER, vendorVersion: PLUGIN_VERSION }),
      // A node-only plugin: fluid-ts's PVs are static (the runtime controller creates them).
      GetPluginCapabilities: () => Promise.resolve({ capabilities: [] }),
      Probe: () => Promise.resolve({ ready: { value: !this.closed } }),
    };
  }

  nodeHandlers(): Record<string, CsiHandler> {
    return {
      // max_volumes_per_node left unset (0): no limit.
      NodeGetInfo: () => Promise.resolve({ nodeId: this.o.nodeId }),
      NodeGetCapabilities: () => Promise.resolve({ capabilities: [{ rpc: { type: NodeRpcType.STAGE_UNSTAGE_VOLUME } }] }),
      NodeStageVolume: async (req) => { await this.stage(req as NodeStageVolumeRequest); return {}; },
      NodeUnstageVolume: async (req) => { await this.unstage(req as NodeUnstageVolumeRequest); return {}; },
      NodePublishVolume: async (req) => { await this.publish(req as NodePublishVolumeRequest); return {}; },
      NodeUnpublishVolume: async (req) => { await this.unpublish(req as NodeUnpublishVolumeRequest); return {}; },
    };
  }

  async stage(req: NodeStageVolumeRequest): Promise<void> {
    const s = validateStage(req);
    mkdirSync(s.stagingTargetPath, { recursive: true });
    const state: StageState = { volumeId: s.volumeId, namespace: s.dataset.namespace, name: s.dataset.name, fluidPath: s.fluidPath };
    writeFileSync(join(s.stagingTargetPath, STAGE_STATE_FILE), `${JSON.stringify(state)}\n`, { mode: 0o644 });
    const key = fuseNodeLabel(s.dataset.namespace, s.dataset.name);
    await this.setLabel(key, 'true', 'NodeStageVolume');
    this.o.log(`NodeStageVolume ${s.volumeId}: node ${this.o.nodeId} labelled ${key}=true`);
  }

  async publish(req: NodePublishVolumeRequest): Promise<void> {
    const p = validatePublish(req);
    const existing = await mountAt(p.targetPath);
    if (existing) {
      // Published before (a retry): the same bind mount is there. A different one is a conflict.
      const ro = existing.mountOptions.split(',').includes('ro');
      if (ro !== p.readOnly) throw new CsiError('AlreadyExists', `NodePublishVolume: ${p.targetPath} is already mounted ${ro ? 'read-only' : 'read-write'}, the request asks for ${p.readOnly ? 'read-only' : 'read-write'}`);
      return;
    }
    const fuseMount = this.o.hostPath ? this.o.hostPath(p.fluidPath) : p.fluidPath;
    await this.waitForFuse(fuseMount, p.volumeId);
    mkdirSync(p.targetPath, { recursive: true });
    await bindMount(fuseMount, p.targetPath, p.readOnly);
    this.o.log(`NodePublishVolume ${p.volumeId}: ${fuseMount} -> ${p.targetPath}${p.readOnly ? ' (ro)' : ''}`);
  }

  async unpublish(req: NodeUnpublishVolumeRequest): Promise<void> {
    const u = validateUnpublish(req);
    await unmountAll(u.targetPath);
    // rmdir, never a recursive remove: if anything were still mounted there, its data must survive.
    try {
      rmdirSync(u.targetPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new CsiError('Internal', `NodeUnpublishVolume: removing ${u.targetPath}: ${(err as Error).message}`);
    }
    this.o.log(`NodeUnpublishVolume ${u.volumeId}: ${u.targetPath} unmounted`);
  }

  async unstage(req: NodeUnstageVolumeRequest): Promise<void> {
    const u = validateUnstage(req);
    const stateFile = join(u.stagingTargetPath, STAGE_STATE_FILE);
    let state: StageState;
    try {
      state = JSON.parse(readFileSync(stateFile, 'utf8')) as StageState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // not staged here (or unstaged already)
      throw new CsiError('Internal', `NodeUnstageVolume: reading ${stateFile}: ${(err as Error).message}`);
    }
    const dataset: DatasetRef = { namespace: state.namespace, name: state.name };
    const policy = await this.cleanPolicy(dataset);
    const users = podsUsingDataset(await this.nodePods(), dataset);
    const action = policy === undefined ? { kind: 'RemoveLabel' as const } : unstageAction(policy, users);
    const key = fuseNodeLabel(dataset.namespace, dataset.name);
    if (action.kind === 'RemoveLabel') {
      await this.setLabel(key, null, 'NodeUnstageVolume');
      this.o.log(`NodeUnstageVolume ${u.volumeId}: label ${key} removed from node ${this.o.nodeId}`);
    } else {
      this.o.log(`NodeUnstageVolume ${u.volumeId}: label ${key} kept (${action.why})`);
    }
    rmSync(stateFile, { force: true });
  }

  private async waitForFuse(fluidPath: string, volumeId: string): Promise<void> {
    const deadline = Date.now() + this.o.publishTimeoutMs;
    for (;;) {
      const state = fuseMountState(await readMountInfo(), fluidPath);
      let why = notReadyMessage(state, fluidPath);
      if (state.kind === 'ready') {
        const a = await answers(fluidPath);
        if (a.ok) return;
        why = `the dataset's FUSE mount at ${fluidPath} does not answer (${a.code})`;
      }
      if (this.closed) throw new CsiError('Unavailable', `NodePublishVolume ${volumeId}: the plugin is stopping; ${why}`);
      if (Date.now() >= deadline) throw new CsiError('DeadlineExceeded', `NodePublishVolume ${volumeId}: gave up after ${Math.round(this.o.publishTimeoutMs / 1000)}s: ${why}`);
      await sleep(this.pollMs);
    }
  }

  private async setLabel(key: string, value: string | null, method: string): Promise<void> {
    try {
      await this.o.client.patch(R.node, undefined, this.o.nodeId, { metadata: { labels: { [key]: value } } });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404 && value === null) return;
      throw apiFailure(`${method}: ${value === null ? 'removing label' : 'labelling'} node ${this.o.nodeId} (${key})`, err);
    }
  }

  /** The runtime's fuse.cleanPolicy; undefined when the dataset or its runtime is gone (nothing left to serve). */
  private async cleanPolicy(d: DatasetRef): Promise<CleanPolicy | undefined> {
    try {
      const ds = await this.o.client.get<KubeObject & { status?: { runtimes?: { name?: string; type?: string }[] } }>(R.dataset, d.namespace, d.name);
      const rt = ds?.status?.runtimes?.[0];
      const kind = rt?.type ? runtimeKindOfType(rt.type) : undefined;
      if (!ds || !rt?.name || !kind) return undefined;
      const runtime = await this.o.client.get<KubeObject & { spec?: { fuse?: { cleanPolicy?: unknown } } }>(runtimeResource(kind), d.namespace, rt.name);
      return runtime ? effectiveCleanPolicy(kind, runtime.spec?.fuse?.cleanPolicy) : undefined;
    } catch (err) {
      throw apiFailure(`NodeUnstageVolume: reading the runtime of dataset ${d.namespace}/${d.name}`, err);
    }
  }

  private async nodePods(): Promise<NodePodUse[]> {
    try {
      const list = await this.o.client.list<Pod>(R.pod, undefined, { fieldSelector: `spec.nodeName=${this.o.nodeId}` });
      return list.items.map((p) => ({
        namespace: p.metadata.namespace ?? 'default',
        name: p.metadata.name,
        deleting: Boolean(p.metadata.deletionTimestamp),
        ...(p.status?.phase ? { phase: p.status.phase } : {}),
        claimNames: (p.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [])),
      }));
    } catch (err) {
      throw apiFailure(`NodeUnstageVolume: listing the pods of node ${this.o.nodeId}`, err);
    }
  }
}

// The kubelet's CSI volume manager, for the node agent: a pod's persistentVolumeClaim volumes whose
// PV names the driver fuse.csi.fluid.io are set up by calling the CSI plugin over its unix socket,
// exactly in the kubelet's order and with its paths:
//   NodeStageVolume   once per PV on this node, staging path
//                     HOME/plugins/kubernetes.io/csi/fuse.csi.fluid.io/<sha256(volumeHandle)>/globalmount
//   NodePublishVolume per pod, target path HOME/pods/<ns>/<pod>/csi/<pv>/mount
// and torn down in reverse (unpublish per pod; unstage when the last pod on this node using the PV goes).
// The plugin is `fluid csi` served in this process on HOME/plugins/fuse.csi.fluid.io/csi.sock, unless
// the agent is given the endpoint of a plugin running elsewhere on the node (e.g. a DaemonSet's).
import { nodeHostPath } from '../../core/workloads/path-map.js';
import { shmRootOf } from '../controlplane/home.js';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CsiCallError, CsiGrpcClient } from '../../adapters/csi/csi-grpc-client.js';
import { CsiGrpcServer } from '../../adapters/csi/csi-grpc-server.js';
import { IdentityMethods, NodeMethods } from '../../adapters/csi/csi-proto.js';
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { R } from '../../adapters/kube/resources.js';
import { csiAccessModeOf } from '../../core/workloads/app-pod.js';
import type { KubeObject, Pod } from '../../core/workloads/kube-object.js';
import { CSI_DRIVER } from '../../core/workloads/names.js';
import { NodePlugin } from '../csi/node-plugin.js';
import { PodPrepareError, type PodVolumes, type PublishedVolume } from './pod-runner.js';

/** How long one NodePublishVolume may wait for the FUSE mount; the pod then stays ContainerCreating and is retried. */
const PUBLISH_WAIT_MS = 10_000;

interface CsiPv extends KubeObject {
  spec?: { accessModes?: string[]; csi?: { driver?: string; volumeHandle?: string; readOnly?: boolean; volumeAttributes?: Record<string, string> } };
}

export interface CsiVolumesOptions {
  readonly client: KubeClient;
  readonly home: string;
  readonly nodeName: string;
  /** A CSI plugin already serving this node; default: serve `fluid csi` in this process. */
  readonly endpoint?: string;
  /** This node host's root for hostPaths (PodEnvironment.hostRoot); the FUSE mounts live under it. */
  readonly hostRoot?: string;
  readonly log: (msg: string) => void;
}

export class CsiVolumes implements PodVolumes {
  /** PV name -> keys of the pods on this node that have it published (the stage's users). */
  private readonly users = new Map<string, Set<string>>();
  private readonly csi: CsiGrpcClient;

  private constructor(private readonly o: CsiVolumesOptions, private readonly endpoint: string, private readonly served?: { server: CsiGrpcServer; plugin: NodePlugin }) {
    this.csi = new CsiGrpcClient(endpoint);
  }

  static async start(o: CsiVolumesOptions): Promise<CsiVolumes> {
    if (o.endpoint) return new CsiVolumes(o, o.endpoint);
    const dir = join(o.home, 'plugins', CSI_DRIVER);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const endpoint = `unix://${join(dir, 'csi.sock')}`;
    const hostRoot = o.hostRoot;
    const plugin = new NodePlugin({
      nodeId: o.nodeName, client: o.client, publishTimeoutMs: PUBLISH_WAIT_MS, log: (m) => o.log(`csi: ${m}`),
      ...(hostRoot !== undefined ? { hostPath: (p: string) => nodeHostPath(p, hostRoot, shmRootOf(o.home)) } : {}),
    });
    const server = new CsiGrpcServer([
      { methods: IdentityMethods, handlers: plugin.identityHandlers() },
      { methods: NodeMethods, handlers: plugin.nodeHandlers() },
    ], (m) => o.log(`csi: ${m}`));
    await server.listen(endpoint);
    return new CsiVolumes(o, endpoint, { server, plugin });
  }

  async stop(): Promise<void> {
    this.csi.close();
    this.served?.plugin.close();
    await this.served?.server.close();
  }

  /**
   * Stages (once per PV) and publishes every PVC volume of the pod. On failure, what this call
   * published is torn down again and a PodPrepareError says which volume failed and why.
   */
  async setUp(pod: Pod, podDir: string): Promise<PublishedVolume[]> {
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${ns}/${pod.metadata.name}`;
    const done: PublishedVolume[] = [];
    try {
      for (const v of pod.spec.volumes ?? []) {
        const claim = v.persistentVolumeClaim?.claimName;
        if (!claim) continue;
        const pv = await this.boundPv(ns, claim, v.name);
        const csi = pv.spec?.csi ?? {};
        const volumeHandle = csi.volumeHandle ?? pv.metadata.name;
        const pvName = pv.metadata.name;
        const stagingPath = join(this.o.home, 'plugins', 'kubernetes.io', 'csi', CSI_DRIVER, createHash('sha256').update(volumeHandle).digest('hex'), 'globalmount');
        const targetPath = join(podDir, 'csi', pvName, 'mount');
        const readOnly = v.persistentVolumeClaim?.readOnly === true || csi.readOnly === true;
        const capability = { mount: {}, accessMode: { mode: csiAccessModeOf(pv.spec?.accessModes) } };
        const volumeContext = csi.volumeAttributes ?? {};
        mkdirSync(stagingPath, { recursive: true });
        const users = this.users.get(pvName) ?? new Set<string>();
        this.users.set(pvName, users);
        users.add(key);
        const pub: PublishedVolume = { volume: v.name, pvName, volumeHandle, stagingPath, targetPath, readOnly };
        await this.call(v.name, 'NodeStageVolume', { volumeId: volumeHandle, stagingTargetPath: stagingPath, volumeCapability: capability, volumeContext });
        mkdirSync(join(podDir, 'csi', pvName), { recursive: true });
        done.push(pub);
        await this.call(v.name, 'NodePublishVolume', { volumeId: volumeHandle, stagingTargetPath: stagingPath, targetPath, volumeCapability: capability, readonly: readOnly, volumeContext });
      }
      return done;
    } catch (err) {
      await this.tearDown(key, done).catch((e: unknown) => this.o.log(`pod ${key}: tearing down after a failed setup: ${e instanceof Error ? e.message : String(e)}`));
      throw err;
    }
  }

  /** Unpublishes the pod's volumes; unstages each PV no other pod on this node still has published. */
  async tearDown(podKey: string, published: readonly PublishedVolume[]): Promise<void> {
    for (const p of published) {
      await this.call(p.volume, 'NodeUnpublishVolume', { volumeId: p.volumeHandle, targetPath: p.targetPath });
      const users = this.users.get(p.pvName);
      users?.delete(podKey);
      if (users && users.size > 0) continue;
      this.users.delete(p.pvName);
      await this.call(p.volume, 'NodeUnstageVolume', { volumeId: p.volumeHandle, stagingTargetPath: p.stagingPath });
    }
  }

  private async boundPv(ns: string, claim: string, volume: string): Promise<CsiPv> {
    const pvc = await this.o.client.get<KubeObject & { spec?: { volumeName?: string }; status?: { phase?: string } }>(R.pvc, ns, claim);
    if (!pvc) throw new PodPrepareError('PVCNotFound', `PersistentVolumeClaim "${claim}" (volume ${volume}) not found in namespace "${ns}"`);
    const pvName = pvc.spec?.volumeName;
    if (!pvName || pvc.status?.phase !== 'Bound') throw new PodPrepareError('ContainerCreating', `PersistentVolumeClaim "${claim}" (volume ${volume}) is not bound yet`);
    const pv = await this.o.client.get<CsiPv>(R.pv, undefined, pvName);
    if (!pv) throw new PodPrepareError('ContainerCreating', `PersistentVolume "${pvName}" of claim "${claim}" not found`);
    if (pv.spec?.csi?.driver !== CSI_DRIVER) {
      throw new PodPrepareError('UnsupportedVolume', `volume ${volume}: PersistentVolume "${pvName}" is not a fluid dataset volume (CSI driver ${CSI_DRIVER}); this node mounts only those`);
    }
    return pv;
  }

  private async call(volume: string, method: 'NodeStageVolume' | 'NodePublishVolume' | 'NodeUnpublishVolume' | 'NodeUnstageVolume', req: object): Promise<void> {
    try {
      await this.csi.call(method, req, PUBLISH_WAIT_MS + 20_000);
    } catch (err) {
      const what = method === 'NodeStageVolume' ? 'MountVolume.MountDevice' : method === 'NodePublishVolume' ? 'MountVolume.SetUp' : method === 'NodeUnpublishVolume' ? 'UnmountVolume.TearDown' : 'UnmountDevice';
      const detail = err instanceof CsiCallError ? `${err.method} ${err.status}: ${err.details}` : err instanceof Error ? err.message : String(err);
      throw new PodPrepareError('ContainerCreating', `${what} failed for volume "${volume}" (${this.endpoint}): ${detail}`);
    }
  }
}

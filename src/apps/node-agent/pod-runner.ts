// How the node agent turns a pod into a local process. A PodRunner claims pods (by image) and
// prepares the container's process; the agent supervises it, probes readiness and reports
// status. Runners are tried in order; a pod no runner claims is refused with a message.
// To add one (e.g. ThinRuntime's fuse), append it to `podRunners` in runners.ts.
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import type { Condition, Pod } from '../../core/workloads/kube-object.js';

export interface PodEnvironment {
  readonly client: KubeClient;
  readonly home: string;
  /** HOME/pods/<ns>/<pod>: logs, materialised volumes and secrets of this pod. */
  readonly podDir: string;
  /** Absolute path of the compiled CLI entry (`node <cliEntry> engine ...`). */
  readonly cliEntry: string;
  readonly nodeName: string;
  /** The node's InternalIP (status.hostIP and status.podIP of its pods: host networking). */
  readonly address: string;
  /**
   * Where this node's hostPath volumes live: a hostPath P is mapped to <hostRoot>/P (MEM paths under
   * /dev/shm to this node's shm root), so node hosts sharing one filesystem never share a cache or
   * mount directory. Undefined (embedded mode): hostPaths are used as they are.
   */
  readonly hostRoot?: string;
  /** Sets up the pod's fluid dataset volumes through the CSI plugin (application pods). */
  readonly csi?: PodVolumes;
}

/** One pod volume published through the CSI plugin. */
export interface PublishedVolume {
  /** The pod's volume name (spec.volumes[].name). */
  readonly volume: string;
  readonly pvName: string;
  readonly volumeHandle: string;
  readonly stagingPath: string;
  /** Host path the volume is published at (the CSI target_path). */
  readonly targetPath: string;
  readonly readOnly: boolean;
}

/** The kubelet's volume manager for CSI volumes (csi-volumes.ts). */
export interface PodVolumes {
  /** Stages and publishes the pod's PVC volumes; throws PodPrepareError (nothing left published) on failure. */
  setUp(pod: Pod, podDir: string): Promise<PublishedVolume[]>;
  /** Unpublishes them, and unstages each no other pod on the node uses. */
  tearDown(podKey: string, published: readonly PublishedVolume[]): Promise<void>;
}

export interface PreparedContainer {
  readonly container: string;
  readonly image: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /**
   * Readiness from the component's health endpoint. Either a boolean, or with a `message` saying
   * why not (shown in the pod's Ready condition).
   */
  ready(signal: AbortSignal): Promise<boolean | { readonly ready: boolean; readonly message: string }>;
  /** Annotations to put on the pod once running (e.g. fluid.io/engine-address). */
  readonly annotations: Readonly<Record<string, string>>;
  /** After the process exits or is stopped (e.g. unmount a FUSE mount). */
  afterExit(): void;
  /** Brings the pod's mounted ConfigMap files up to date (called periodically while it runs). */
  refresh?(): Promise<void>;
  /**
   * After the pod's final stop when its runtime is being deleted (TEARDOWN_ANNOTATION): frees what
   * the pod kept on this host (cache tier dirs, its FUSE mount point). Never called on a restart.
   */
  teardown?(): void;
  /** Extra pod conditions while this container runs (e.g. fluid.io/EntrypointNotRun). */
  readonly conditions?: readonly Condition[];
  /** Once, when the pod goes (deleted, or the agent stops): release what prepare set up (CSI volumes). */
  release?(): Promise<void>;
}

export interface PodRunner {
  readonly name: string;
  claims(pod: Pod): boolean;
  /** Throws PodPrepareError with a user-facing message when the pod cannot run (yet). */
  prepare(pod: Pod, env: PodEnvironment): Promise<PreparedContainer>;
}

/** The pod cannot be started; `message` goes into the pod's status (never a secret value). */
export class PodPrepareError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'PodPrepareError';
  }
}

// The engine port of the runtime controller. One RuntimeEngine per runtime kind, registered in a
// map by kind (see engine-registry.ts). An engine is pure: it turns the runtime and dataset specs
// into an EnginePlan (workload templates + config files) or says why it cannot run. Everything
// with I/O (API calls, ports, secrets, the master's RPC) stays in the controller.
import type { Container, Volume } from '../workloads/kube-object.js';

/** Fluid Dataset spec.mounts[] (the fields we read). */
export interface DatasetMountView {
  readonly mountPoint?: string;
  readonly name?: string;
  readonly path?: string;
  readonly options?: Record<string, string>;
  readonly encryptOptions?: readonly {
    readonly name?: string;
    readonly valueFrom?: { readonly secretKeyRef?: { readonly name?: string; readonly key?: string } };
  }[];
  readonly readOnly?: boolean;
  readonly shared?: boolean;
}

export interface DatasetView {
  readonly name: string;
  readonly namespace: string;
  readonly mounts: readonly DatasetMountView[];
  /** Dataset spec.accessModes (Fluid's default when absent: ReadOnlyMany). */
  readonly accessModes?: readonly string[];
  /** Dataset spec.dataRestoreLocation: the master starts from this DataBackup instead of listing the UFS. */
  readonly dataRestoreLocation?: { readonly path?: string; readonly nodeName?: string };
}

/** Ports of one runtime's components, allocated once and persisted by the controller. */
export interface PortAllocation {
  readonly master: readonly number[];
  readonly worker: readonly number[];
  readonly fuse: number;
}

/** Where host-side state lives (embedded mode: under the control plane's home). */
export interface HostLayout {
  /** Control-plane home, absolute. */
  readonly hostRoot: string;
  /** Root for MEM tiers on /dev/shm, unique per home, e.g. "/dev/shm/fluid-1a2b3c4d". */
  readonly shmRoot: string;
  /**
   * The listen host written into config files (for a process started by hand from one). Pods
   * override it with their node's address (`--host $(HOST_IP)`).
   */
  readonly host: string;
}

export interface PlanInput {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The runtime's spec as stored (unknown fields included, so they can be reported). */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly dataset: DatasetView;
  readonly ports: PortAllocation;
  readonly layout: HostLayout;
  /**
   * The node address of each master ordinal as the API shows it (core/reconcile/master-endpoints:
   * masterHosts); undefined = not placed yet. Configs naming master addresses wait for these.
   */
  readonly masterHosts?: readonly (string | undefined)[];
  /** The objects named by RuntimeEngine.clusterRefs, keyed "<plural>/<name>"; null = not found. */
  readonly clusterObjects?: Readonly<Record<string, unknown>>;
}

/** A cluster-scoped object an engine's plan reads (e.g. ThinRuntime -> ThinRuntimeProfile). */
export interface ClusterObjectRef {
  readonly group: string;
  readonly plural: string;
  readonly name: string;
}

/** One component group: a StatefulSet (master/worker) or the fuse DaemonSet. */
export interface RoleTemplate {
  readonly replicas: number;
  /** Pod template annotations; a change rolls the group's pods (see MOUNTS_HASH_ANNOTATION). */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly container: Container;
  readonly volumes: readonly Volume[];
  /** Pins the group's pods (e.g. masters restoring from a local:// backup on Dataset dataRestoreLocation.nodeName). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

export interface SecretRef {
  readonly secret: string;
  readonly key: string;
  /** Field path in the Dataset, for messages: "spec.mounts[0].encryptOptions[1]". */
  readonly field: string;
}

export interface EnginePlan {
  /** null = this engine has no master (e.g. a fuse-only runtime). */
  readonly master: RoleTemplate | null;
  readonly worker: RoleTemplate | null;
  readonly fuse: RoleTemplate;
  /** ConfigMap data: file name -> contents. Never contains a secret value. */
  readonly configs: Readonly<Record<string, string>>;
  /** Host path where the FUSE client mounts the dataset (PV fluid_path). */
  readonly mountPath: string;
  /** PV volumeAttributes.mount_type, e.g. "fuse.alluxio-fuse". */
  readonly mountType: string;
  readonly secretRefs: readonly SecretRef[];
  /** Total cache capacity in bytes (all workers, all tiers). */
  readonly cacheCapacityBytes: number;
  /** Settings present in the spec that this engine does not honour: "spec.fuse.image: ...". */
  readonly unsupported: readonly string[];
  /**
   * The dataset's status comes from the runtime's pods instead of a master: each worker and FUSE pod
   * serves GET /stats (JuiceFSStats, api/juicefs-config.ts) on its engine address. JuiceFSRuntime.
   */
  readonly podStats?: boolean;
}

export type PlanResult =
  | { readonly ok: true; readonly plan: EnginePlan }
  /** `reason` is a CamelCase condition reason; `message` names the field or what is missing. */
  | { readonly ok: false; readonly reason: string; readonly message: string };

export interface ComponentCounts {
  readonly master: number;
  readonly worker: number;
}

export interface RuntimeEngine {
  /** Runtime kind, e.g. "AlluxioRuntime". */
  readonly kind: string;
  /** How many master and worker ports the plan needs (so the controller can allocate them first). */
  counts(spec: Readonly<Record<string, unknown>>): ComponentCounts;
  /** Cluster-scoped objects the plan needs; the controller fetches them into PlanInput.clusterObjects. */
  clusterRefs?(spec: Readonly<Record<string, unknown>>): readonly ClusterObjectRef[];
  plan(input: PlanInput): PlanResult;
}

/** Engines by runtime kind. The controller runs one watch per registered kind. */
export type EngineRegistry = ReadonlyMap<string, RuntimeEngine>;

// What every controller gets: the API client, shared informers, and where this node's state is.
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import type { DaemonSet, KubeObject, Pod, StatefulSet } from '../../core/workloads/kube-object.js';
import type { Informer } from '../../adapters/kube/informer.js';
import type { HostLayout } from '../../core/reconcile/runtime-engine.js';
import type { PortRange } from '../../core/reconcile/port-allocation.js';

export interface ControllerContext {
  /** True once every shared informer has listed (acting earlier could delete what it has not seen yet). */
  readonly synced: () => boolean;
  readonly client: KubeClient;
  /** Control-plane home (embedded mode host layout root). */
  readonly home: string;
  /** Name of the Node object this machine registers as. */
  readonly nodeName: string;
  /**
   * Host paths engine plans use. Embedded: under the home. On a cluster: fixed container paths
   * (/var/lib/fluid-ts/..., /dev/shm/fluid-ts/...) that each node agent maps under its own node root.
   */
  readonly layout: HostLayout;
  /** Cluster-wide range engine ports are allocated from (Fluid's --runtime-port-range). */
  readonly portRange: PortRange;
  /**
   * Embedded mode only (one node, and it is this process's host): also skip ports something else
   * listens on. On a cluster the controller never probes its own host: ports are known free because
   * the range is reserved for engines.
   */
  readonly checkLocalPorts: boolean;
  /**
   * FUSE pods follow the application (a real cluster): the CSI plugin's NodeStageVolume labels the
   * node an application pod lands on, so the controller neither labels a node for the FUSE
   * DaemonSet nor waits for a FUSE pod before binding the dataset. False in embedded mode, where
   * the FUSE mount on this machine is the way to read the dataset (`fluid mount-path`).
   */
  readonly fuseOnDemand: boolean;
  readonly log: (msg: string) => void;
  readonly signal: AbortSignal;
  readonly informers: {
    readonly pods: Informer<Pod>;
    readonly statefulSets: Informer<StatefulSet>;
    readonly daemonSets: Informer<DaemonSet>;
    readonly nodes: Informer<KubeObject>;
    readonly datasets: Informer<KubeObject>;
  };
}

// Starts every controller against the API server named by a kubeconfig: shared informers,
// the workload controllers (StatefulSet/DaemonSet -> Pods), the Dataset controller, one runtime
// controller per registered engine, and one controller per data operation kind (DataLoad, DataClean, DataMigrate, DataProcess, DataBackup). Runs until stop().
import { KubeClient } from '../../adapters/kube/kube-client.js';
import { R, runtimeResource } from '../../adapters/kube/resources.js';
import type { DaemonSet, KubeObject, Pod, StatefulSet } from '../../core/workloads/kube-object.js';
import type { ControllerContext } from './controller-context.js';
import { DataOperationController } from './data-operation-controller.js';
import { dataCleanExecutor } from './operations/data-clean-executor.js';
import { dataLoadExecutor } from './operations/data-load-executor.js';
import { dataMigrateExecutor } from './operations/data-migrate-executor.js';
import { dataProcessExecutor } from './operations/data-process-executor.js';
import { dataBackupExecutor } from './operations/data-backup-executor.js';
import { DatasetController } from './dataset-controller.js';
import { runtimeEngines } from './engine-registry.js';
import { Informer } from '../../adapters/kube/informer.js';
import { RuntimeController } from './runtime-controller.js';
import { VolumeBinder } from './volume-binder.js';
import { WorkloadController } from './workload-controller.js';
import { DEFAULT_PORT_RANGE, type PortRange } from '../../core/reconcile/port-allocation.js';
import type { HostLayout } from '../../core/reconcile/runtime-engine.js';
import { shmRootOf } from '../controlplane/home.js';

export interface ControllersOptions {
  readonly kubeconfigPath: string;
  readonly home: string;
  readonly nodeName: string;
  readonly log: (msg: string) => void;
  /** Run the embedded StatefulSet/DaemonSet controllers (false on a real cluster). Default true. */
  readonly workloads?: boolean;
  /** Engine port range (Fluid's --runtime-port-range). Default 20000-26000. */
  readonly portRange?: PortRange;
}

/** Where engine plans put host state on a real cluster (each node agent maps these under its node root). */
export const CLUSTER_LAYOUT: HostLayout = { hostRoot: '/var/lib/fluid-ts', shmRoot: '/dev/shm/fluid-ts', host: '0.0.0.0' };

export interface Running {
  stop(): Promise<void>;
}

export async function startControllers(opts: ControllersOptions): Promise<Running> {
  const client = KubeClient.fromKubeconfig(opts.kubeconfigPath);
  const abort = new AbortController();
  const embedded = opts.workloads !== false;
  const inf = (r: typeof R[keyof typeof R], resyncMs = 30_000): Informer<KubeObject> => new Informer<KubeObject>(client, r, { resyncMs, log: opts.log });
  const shared: Informer<KubeObject>[] = [];
  const ctx: ControllerContext = {
    synced: () => shared.every((i) => i.hasSynced()),
    client, home: opts.home, nodeName: opts.nodeName, fuseOnDemand: opts.workloads === false, log: opts.log, signal: abort.signal,
    layout: embedded ? { hostRoot: opts.home, shmRoot: shmRootOf(opts.home), host: '127.0.0.1' } : CLUSTER_LAYOUT,
    portRange: opts.portRange ?? DEFAULT_PORT_RANGE,
    checkLocalPorts: embedded,
    informers: {
      pods: inf(R.pod) as unknown as Informer<Pod>,
      statefulSets: inf(R.statefulSet) as unknown as Informer<StatefulSet>,
      daemonSets: inf(R.daemonSet) as unknown as Informer<DaemonSet>,
      nodes: inf(R.node),
      datasets: inf(R.dataset),
    },
  };
  shared.push(...Object.values(ctx.informers) as Informer<KubeObject>[]);
  const runtimeControllers: RuntimeController[] = [];
  const runtimeInformers = (): Informer<KubeObject>[] => runtimeControllers.map((c) => c.informer);
  for (const engine of runtimeEngines) runtimeControllers.push(new RuntimeController(ctx, engine, runtimeResource(engine.kind), runtimeInformers));
  const datasets = new DatasetController(ctx, () => runtimeControllers.map((c, i) => ({ kind: runtimeEngines[i]?.kind ?? '', informer: c.informer })));
  datasets.watchRuntimes();
  const workloads = opts.workloads === false ? undefined : new WorkloadController(ctx);
  const binder = opts.workloads === false ? undefined : new VolumeBinder(ctx);
  const operations = [dataLoadExecutor, dataCleanExecutor, dataMigrateExecutor, dataProcessExecutor, dataBackupExecutor].map((e) => new DataOperationController(ctx, e, runtimeInformers));
  const informers: Informer<KubeObject>[] = [
    ...Object.values(ctx.informers) as Informer<KubeObject>[], ...runtimeInformers(), ...operations.map((o) => o.informer as Informer<KubeObject>),
    ...(binder ? [binder.claims, binder.volumes] : []),
  ];
  shared.push(...runtimeInformers());
  const loops = informers.map((i) => i.run(abort.signal).catch((err: unknown) => opts.log(`informer stopped: ${String(err)}`)));
  opts.log(`controllers started (${runtimeEngines.map((e) => e.kind).join(', ')}, Dataset, DataLoad, DataClean, DataMigrate, DataProcess, DataBackup${workloads ? ', StatefulSet, DaemonSet, PersistentVolume binder' : ''})`);
  return {
    async stop() {
      abort.abort();
      await Promise.all([datasets.stop(), ...operations.map((o) => o.stop()), workloads?.stop(), binder?.stop(), ...runtimeControllers.map((c) => c.stop())]);
      await Promise.all(loops);
    },
  };
}

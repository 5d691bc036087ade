// Starts every controller against the API server named by a kubeconfig: shared informers,
// the workload controllers (StatefulSet/DaemonSet -> Pods), the Dataset controller, one runtime
// controller per registered engine, and the DataLoad controller. Runs until stop().
import { KubeClient } from '../../adapters/kube/kube-client.js';
import { R, runtimeResource } from '../../adapters/kube/resources.js';
import type { DaemonSet, KubeObject, Pod, StatefulSet } from '../../core/workloads/kube-object.js';
import type { ControllerContext } from './controller-context.js';
import { DataLoadController } from './dataload-controller.js';
import { DatasetController } from './dataset-controller.js';
import { runtimeEngines } from './engine-registry.js';
import { Informer } from '../../adapters/kube/informer.js';
import { RuntimeController } from './runtime-controller.js';
import { VolumeBinder } from './volume-binder.js';
import { WorkloadController } from './workload-controller.js';

export interface ControllersOptions {
  readonly kubeconfigPath: string;
  readonly home: string;
  readonly nodeName: string;
  readonly log: (msg: string) => void;
  /** Run the embedded StatefulSet/DaemonSet controllers (false on a real cluster). Default true. */
  readonly workloads?: boolean;
}

export interface Running {
  stop(): Promise<void>;
}

export async function startControllers(opts: ControllersOptions): Promise<Running> {
  const client = KubeClient.fromKubeconfig(opts.kubeconfigPath);
  const abort = new AbortController();
  const inf = (r: typeof R[keyof typeof R], resyncMs = 30_000): Informer<KubeObject> => new Informer<KubeObject>(client, r, { resyncMs, log: opts.log });
  const shared: Informer<KubeObject>[] = [];
  const ctx: ControllerContext = {
    synced: () => shared.every((i) => i.hasSynced()),
    client, home: opts.home, nodeName: opts.nodeName, fuseOnDemand: opts.workloads === false, log: opts.log, signal: abort.signal,
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
  const dataloads = new DataLoadController(ctx, runtimeInformers);
  const informers: Informer<KubeObject>[] = [
    ...Object.values(ctx.informers) as Informer<KubeObject>[], ...runtimeInformers(), dataloads.informer as Informer<KubeObject>,
    ...(binder ? [binder.claims, binder.volumes] : []),
  ];
  shared.push(...runtimeInformers());
  const loops = informers.map((i) => i.run(abort.signal).catch((err: unknown) => opts.log(`informer stopped: ${String(err)}`)));
  opts.log(`controllers started (${runtimeEngines.map((e) => e.kind).join(', ')}, Dataset, DataLoad${workloads ? ', StatefulSet, DaemonSet, PersistentVolume binder' : ''})`);
  return {
    async stop() {
      abort.abort();
      await Promise.all([datasets.stop(), dataloads.stop(), workloads?.stop(), binder?.stop(), ...runtimeControllers.map((c) => c.stop())]);
      await Promise.all(loops);
    },
  };
}

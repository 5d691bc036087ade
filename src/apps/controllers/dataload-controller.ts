// DataLoad controller: Pending -> Executing -> Complete | Failed. A load walks each target path
// (default: the whole dataset) through the master and asks the workers to cache every block
// (engine-client loadPath); with loadMetadata it refreshes the metadata first. Progress (bytes,
// files) is written to status after each target; Cron loads re-run at each fire time.
import { kubeTime } from '../../core/workloads/kube-time.js';
import { MasterClient, loadPath, type EngineCredential } from '../../adapters/engine-client/index.js';
import { R } from '../../adapters/kube/resources.js';
import { decideDataLoad, type DataLoadPhase, type DataLoadPolicy } from '../../core/reconcile/dataload-decision.js';
import { masterEndpoints, type AddressedNode } from '../../core/reconcile/master-endpoints.js';
import { parsePorts } from '../../core/reconcile/port-allocation.js';
import { arr, num, rec, str } from '../../core/reconcile/spec-view.js';
import type { Condition, KubeObject } from '../../core/workloads/kube-object.js';
import { PORTS_ANNOTATION, masterName } from '../../core/workloads/names.js';
import type { ControllerContext } from './controller-context.js';
import { Informer } from '../../adapters/kube/informer.js';
import { WorkQueue, type ReconcileResult } from './internal/work-queue.js';
import { setCondition } from './conditions.js';
import { readEngineCredential } from './engine-credential-secret.js';
import { eventRecorder, type EventRecorder } from './event-recorder.js';
import { humanDuration } from '../../api/kinds/human-duration.js';

type Obj = KubeObject & { status?: Record<string, unknown> };

export class DataLoadController {
  readonly informer: Informer<Obj>;
  private readonly queue: WorkQueue;
  private readonly running = new Set<string>();
  private readonly events: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly runtimes: () => readonly Informer<KubeObject>[]) {
    this.informer = new Informer<Obj>(ctx.client, R.dataLoad, { resyncMs: 30_000, log: ctx.log });
    this.queue = new WorkQueue((k) => this.reconcile(k), {
      concurrency: 2,
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      onError: (key, err) => ctx.log(`DataLoad ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.informer.onChange((key) => this.queue.add(key));
    this.events = eventRecorder(ctx.client, 'DataLoad', ctx.log);
    ctx.informers.datasets.onChange(() => { for (const d of this.informer.list()) this.queue.add(`${d.metadata.namespace ?? ''}/${d.metadata.name}`); });
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    if (!this.ctx.synced()) return { requeueAfterMs: 200 };
    const dl = this.informer.get(key);
    if (!dl || dl.metadata.deletionTimestamp) return undefined;
    const ns = dl.metadata.namespace ?? 'default';
    const spec = rec(dl.spec) ?? {};
    const dsName = str(rec(spec['dataset'])?.['name']) ?? '';
    const dsNs = str(rec(spec['dataset'])?.['namespace']) ?? ns;
    const dataset = this.ctx.informers.datasets.get(`${dsNs}/${dsName}`);
    const status = dl.status ?? {};
    const phase = str(status['phase']) as DataLoadPhase | undefined;
    const now = Date.now();
    const decision = decideDataLoad({
      phase,
      policy: (str(spec['policy']) ?? 'Once') as DataLoadPolicy,
      schedule: str(spec['schedule']),
      lastScheduleTimeMs: str(status['lastScheduleTime']) ? Date.parse(str(status['lastScheduleTime']) ?? '') : undefined,
      createdMs: Date.parse(dl.metadata.creationTimestamp ?? '') || now,
      datasetBound: rec(dataset?.status)?.['phase'] === 'Bound',
      running: this.running.has(key),
    }, now);
    switch (decision.action) {
      case 'idle':
        return decision.requeueAfterMs !== undefined ? { requeueAfterMs: decision.requeueAfterMs } : undefined;
      case 'fail':
        await this.patch(dl, { phase: 'Failed' }, { type: 'Failed', status: 'True', reason: decision.reason, message: decision.message });
        return undefined;
      case 'wait':
        if (phase !== 'Pending') {
          await this.patch(dl, { phase: 'Pending' }, { type: 'Complete', status: 'False', reason: decision.reason, message: `waiting: dataset ${dsNs}/${dsName} is not bound to a runtime yet` });
        }
        return { requeueAfterMs: decision.requeueAfterMs };
      case 'start': {
        const masters = this.masterAddresses(dsNs, dsName);
        if (masters.length === 0) {
          await this.patch(dl, { phase: 'Pending' }, { type: 'Complete', status: 'False', reason: 'NoMaster', message: `dataset ${dsNs}/${dsName} has no runtime master to load through` });
          return { requeueAfterMs: 5_000 };
        }
        const credential = await readEngineCredential(this.ctx.client, dsNs, dsName);
        if (!credential) {
          await this.patch(dl, { phase: 'Pending' }, { type: 'Complete', status: 'False', reason: 'NoEngineCredential', message: `dataset ${dsNs}/${dsName}: the runtime's engine credential Secret does not exist yet` });
          return { requeueAfterMs: 5_000 };
        }
        this.running.add(key);
        const startedAt = kubeTime(new Date(now));
        await this.patch(dl, { phase: 'Executing', lastScheduleTime: startedAt, duration: null, progress: { loadedBytes: 0, loadedFiles: 0 } },
          { type: 'Complete', status: 'False', reason: 'Executing', message: 'loading' });
        void this.execute(key, spec, masters, credential, now).finally(() => {
          this.running.delete(key);
          this.queue.add(key);
        });
        return undefined;
      }
    }
  }

  private async execute(key: string, spec: Record<string, unknown>, masters: string[], credential: EngineCredential, startMs: number): Promise<void> {
    const master = new MasterClient(masters, { credential, failoverTimeoutMs: 15_000 });
    const targets = arr(spec['target']).map((t) => str(rec(t)?.['path'])).filter((p): p is string => !!p);
    const paths = targets.length > 0 ? targets : ['/'];
    let bytes = 0;
    let files = 0;
    let totalBytes = 0;
    try {
      if (spec['loadMetadata'] === true) for (const p of paths) await master.loadMetadata(p, true);
      for (const p of paths) {
        const st = await master.getStatus(p);
        totalBytes += st.kind === 'file' ? st.size : 0;
        const r = await loadPath(master, p);
        if (r.failed.length > 0) throw new Error(`${r.failed.length} block(s) of ${p} could not be cached: ${r.failed[0]?.reason ?? ''}`);
        files += r.files;
        bytes += r.bytesFetched;
        const dl = this.informer.get(key);
        if (dl) await this.patch(dl, { progress: { loadedBytes: bytes, loadedFiles: files } });
      }
      const stats = await master.stats();
      const dl = this.informer.get(key);
      if (!dl) return;
      const done = kubeTime(new Date());
      await this.patch(dl, {
        phase: 'Complete', duration: humanDuration(Date.now() - startMs), lastSuccessfulTime: done,
        progress: { loadedBytes: bytes, loadedFiles: files, totalBytes: totalBytes || stats.ufsTotalBytes, totalFiles: files },
        infos: { bytesFetched: String(bytes), files: String(files), cachedPercentageOfDataset: stats.ufsTotalBytes > 0 ? `${((stats.cachedBytes / stats.ufsTotalBytes) * 100).toFixed(1)}%` : '100.0%' },
      }, { type: 'Complete', status: 'True', reason: 'DataLoadComplete', message: `loaded ${files} file(s), fetched ${bytes} bytes from the UFS` });
    } catch (err) {
      const dl = this.informer.get(key);
      if (!dl) return;
      await this.patch(dl, { phase: 'Failed', duration: humanDuration(Date.now() - startMs), progress: { loadedBytes: bytes, loadedFiles: files } },
        { type: 'Failed', status: 'True', reason: 'DataLoadFailed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private masterAddresses(ns: string, name: string): string[] {
    for (const inf of this.runtimes()) {
      const rt = inf.get(`${ns}/${name}`);
      if (!rt) continue;
      const ports = parsePorts(rt.metadata.annotations?.[PORTS_ANNOTATION]);
      const replicas = Math.max(1, num(rec(rec(rt.spec)?.['master'])?.['replicas']) ?? 1);
      const pods = this.ctx.informers.pods.list().filter((p) => p.metadata.namespace === ns);
      return masterEndpoints(ports, masterName(rt.kind, name), replicas, pods, this.ctx.informers.nodes.list() as AddressedNode[]);
    }
    return [];
  }

  private async patch(dl: Obj, fields: Record<string, unknown>, cond?: Condition): Promise<void> {
    const status: Record<string, unknown> = { ...fields };
    if (cond) status['conditions'] = setCondition(arr(dl.status?.['conditions']) as Condition[], cond);
    const before = str(dl.status?.['phase']);
    const updated = await this.ctx.client.patch<Obj>(R.dataLoad, dl.metadata.namespace, dl.metadata.name, { status }, { status: true });
    dl.status = updated.status;
    const phase = str(fields['phase']);
    if (phase === undefined || phase === before) return;
    // One event per phase change: Started, Complete or Failed (with the condition's message).
    const ev = phase === 'Executing' ? { type: 'Normal', reason: 'Started' } as const
      : phase === 'Complete' ? { type: 'Normal', reason: 'Complete' } as const
        : phase === 'Failed' ? { type: 'Warning', reason: 'Failed' } as const : undefined;
    if (ev) await this.events.record({ ...dl, apiVersion: 'data.fluid.io/v1alpha1', kind: 'DataLoad' }, ev.type, ev.reason, phase === 'Executing' ? `loading ${describeTargets(dl)} into the cache` : cond?.message ?? phase);
  }
}

function describeTargets(dl: Obj): string {
  const paths = arr(rec(dl.spec)?.['target']).map((t) => str(rec(t)?.['path'])).filter((p): p is string => !!p);
  return paths.length > 0 ? paths.join(', ') : '/';
}

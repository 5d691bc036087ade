// Dataset controller. A Dataset is NotBound until a runtime of the same name and namespace binds
// it (the runtime controller sets Bound). This controller owns the rest of its lifecycle:
// initial NotBound, the finalizer, falling back to NotBound when the bound runtime is gone, and
// refusing to let a bound dataset go under its readers: deletion waits until the runtime is
// deleted (as in Fluid), with a condition saying so.
import { R } from '../../adapters/kube/resources.js';
import { FINALIZER } from '../../core/workloads/names.js';
import { arr, rec } from '../../core/reconcile/spec-view.js';
import type { Condition, KubeObject } from '../../core/workloads/kube-object.js';
import type { ControllerContext } from './controller-context.js';
import type { Informer } from '../../adapters/kube/informer.js';
import { WorkQueue, type ReconcileResult } from './internal/work-queue.js';
import { setCondition } from './conditions.js';
import { eventRecorder, type EventRecorder } from './event-recorder.js';
import { reconcileReference, referenceOf } from './dataset-reference.js';

/** Runtime Ready reasons that are plain progress, not a failure to show on the dataset. */
const PROGRESS = new Set(['SettingUp', 'MasterNotReady', 'WorkersNotReady']);

export class DatasetController {
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;

  /** `runtimes`: one informer per runtime kind; a dataset is bound while one holds its key. */
  constructor(private readonly ctx: ControllerContext, private readonly runtimes: () => readonly { kind: string; informer: Informer<KubeObject> }[]) {
    this.queue = new WorkQueue((k) => this.reconcile(k), {
      concurrency: 1,
      backoff: { baseMs: 500, maxMs: 30_000 },
      onError: (key, err) => ctx.log(`Dataset ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    ctx.informers.datasets.onChange((key) => {
      this.queue.add(key);
      // A physical dataset's change (bound, cache states) is mirrored by the datasets referring to it.
      for (const u of arr(rec(ctx.informers.datasets.get(key)?.status)?.['datasetRef'])) if (typeof u === 'string') this.queue.add(u);
    });
    this.events = eventRecorder(ctx.client, 'Dataset', ctx.log);
  }

  /** Call after the runtime informers exist: runtime changes re-check the dataset. */
  watchRuntimes(): void {
    for (const r of this.runtimes()) r.informer.onChange((key) => this.queue.add(key));
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }

  private runtimeFor(key: string): { kind: string; obj: KubeObject } | undefined {
    for (const r of this.runtimes()) {
      const obj = r.informer.get(key);
      if (obj) return { kind: r.kind, obj };
    }
    return undefined;
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    if (!this.ctx.synced()) return { requeueAfterMs: 200 };
    const ds = this.ctx.informers.datasets.get(key);
    if (!ds) return undefined;
    const target = referenceOf(ds);
    if (target) return reconcileReference(this.ctx, ds, target);
    const ns = ds.metadata.namespace ?? 'default';
    const name = ds.metadata.name;
    const status = rec(ds.status) ?? {};
    const runtime = this.runtimeFor(key);
    const conditions = arr(status['conditions']) as Condition[];
    if (ds.metadata.deletionTimestamp) {
      if (runtime) {
        const msg = `dataset is bound to ${runtime.kind} "${name}"; delete the runtime first (the dataset is removed after it)`;
        if (!conditions.some((c) => c.message === msg)) {
          await this.ctx.client.patch(R.dataset, ns, name, { status: { conditions: setCondition(conditions, { type: 'Ready', status: 'False', reason: 'DeletionBlocked', message: msg }) } }, { status: true });
        }
        return { requeueAfterMs: 5_000 };
      }
      if ((ds.metadata.finalizers ?? []).includes(FINALIZER)) {
        await this.ctx.client.patch(R.dataset, ns, name, { metadata: { finalizers: (ds.metadata.finalizers ?? []).filter((f) => f !== FINALIZER), resourceVersion: ds.metadata.resourceVersion } });
      }
      return undefined;
    }
    if (!(ds.metadata.finalizers ?? []).includes(FINALIZER)) {
      await this.ctx.client.patch(R.dataset, ns, name, { metadata: { finalizers: [...(ds.metadata.finalizers ?? []), FINALIZER], resourceVersion: ds.metadata.resourceVersion } });
      return undefined;
    }
    const phase = status['phase'];
    if (phase === undefined || phase === '' || (phase === 'Bound' && !runtime)) {
      await this.ctx.client.patch(R.dataset, ns, name, {
        status: {
          phase: 'NotBound', runtimes: [], ...(phase === 'Bound' ? { ufsTotal: null, cacheStates: null, mountPoints: null } : {}),
          conditions: setCondition(conditions, { type: 'Ready', status: 'False', reason: 'NotBound', message: `no runtime named "${name}" in namespace "${ns}" binds this dataset yet` }),
        },
      }, { status: true });
      return undefined;
    }
    if (phase === 'NotBound' && runtime) {
      // A runtime exists but has not bound the dataset: its Ready condition says why.
      const rtReady = (arr(rec(runtime.obj.status)?.['conditions']) as Condition[]).find((c) => c.type === 'Ready');
      const failing = rtReady && rtReady.status === 'False' && !PROGRESS.has(rtReady.reason ?? '');
      const want: Condition = failing
        ? { type: 'Ready', status: 'False', reason: rtReady.reason ?? 'RuntimeNotReady', message: `${runtime.kind} "${name}" is not ready: ${rtReady.message ?? ''}` }
        : { type: 'Ready', status: 'False', reason: 'RuntimeSettingUp', message: `${runtime.kind} "${name}" is setting up; the dataset is bound once it is ready` };
      const cur = conditions.find((c) => c.type === 'Ready');
      if (cur?.reason !== want.reason || cur.message !== want.message) {
        // resourceVersion: never overwrite the Bound condition the runtime controller may just have written.
        await this.ctx.client.patch(R.dataset, ns, name, { metadata: { resourceVersion: ds.metadata.resourceVersion }, status: { conditions: setCondition(conditions, want) } }, { status: true });
        if (failing) await this.events.record({ ...ds, apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset' }, 'Warning', want.reason ?? 'RuntimeNotReady', want.message ?? '');
      }
    }
    return undefined;
  }
}

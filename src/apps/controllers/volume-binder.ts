// Embedded PersistentVolume binder (kube-controller-manager's PV controller on one machine):
// binds claims to their volumes, provisions a local volume for a claim without one, and deletes
// provisioned volumes whose claim is gone. Decisions come from core/reconcile/volume-binding.
// Runs only with the embedded workload controllers (a real cluster has its own binder).
import { R } from '../../adapters/kube/resources.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { Informer } from '../../adapters/kube/informer.js';
import { bindingFor, orphanedVolume } from '../../core/reconcile/volume-binding.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';
import type { ControllerContext } from './controller-context.js';
import { WorkQueue, type ReconcileResult } from './internal/work-queue.js';

export class VolumeBinder {
  readonly claims: Informer<KubeObject>;
  readonly volumes: Informer<KubeObject>;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.claims = new Informer<KubeObject>(ctx.client, R.pvc, { resyncMs: 30_000, log: ctx.log });
    this.volumes = new Informer<KubeObject>(ctx.client, R.pv, { resyncMs: 30_000, log: ctx.log });
    this.queue = new WorkQueue((k) => this.reconcile(k), {
      concurrency: 1,
      backoff: { baseMs: 200, maxMs: 10_000 },
      onError: (key, err) => ctx.log(`volume binder ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.claims.onChange((key) => this.queue.add(`pvc:${key}`));
    this.volumes.onChange((key, pv, old) => {
      this.queue.add(`pv:${key}`);
      const ref = (pv ?? old)?.spec as { claimRef?: { namespace?: string; name?: string } } | undefined;
      if (ref?.claimRef?.name) this.queue.add(`pvc:${ref.claimRef.namespace ?? 'default'}/${ref.claimRef.name}`);
    });
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }

  private async reconcile(qkey: string): Promise<ReconcileResult> {
    if (!this.claims.hasSynced() || !this.volumes.hasSynced()) return { requeueAfterMs: 200 };
    const [kind, key = ''] = qkey.split(/:(.*)/s);
    const c = this.ctx.client;
    if (kind === 'pv') {
      const pv = this.volumes.get(key);
      if (pv && orphanedVolume(pv, this.claims.list())) await c.delete(R.pv, undefined, pv.metadata.name);
      return undefined;
    }
    const claim = this.claims.get(key);
    if (!claim) return undefined;
    const action = bindingFor(claim, this.volumes.list(), this.ctx.home);
    switch (action.kind) {
      case 'none':
        return undefined;
      case 'pending':
        if ((claim.status as { phase?: string } | undefined)?.phase !== 'Pending') {
          await c.patch(R.pvc, claim.metadata.namespace, claim.metadata.name, { status: { phase: 'Pending' } }, { status: true });
        }
        return { requeueAfterMs: 2_000 };
      case 'provision':
        try {
          await c.create(R.pv, action.volume);
        } catch (err) {
          if (!(err instanceof KubeApiError && err.status === 409)) throw err;
        }
        await c.patch(R.pvc, claim.metadata.namespace, claim.metadata.name, { spec: { volumeName: action.volume.metadata.name } });
        return undefined;
      case 'bind':
        if (action.claimRef) await c.patch(R.pv, undefined, action.volumeName, { spec: { claimRef: action.claimRef } });
        if (action.volumePhase) await c.patch(R.pv, undefined, action.volumeName, { status: { phase: action.volumePhase } }, { status: true });
        if (action.claimStatus) await c.patch(R.pvc, claim.metadata.namespace, claim.metadata.name, { status: action.claimStatus }, { status: true });
        return undefined;
    }
  }
}

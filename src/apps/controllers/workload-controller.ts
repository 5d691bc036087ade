// Embedded StatefulSet / DaemonSet controller (the part of kube-controller-manager and the
// scheduler we need on one machine). StatefulSet pods are <set>-<ordinal>, created in order and
// recreated when deleted; DaemonSet pods <set>-<5 chars>, one per node matching the template's
// nodeSelector. Pods are bound to a node at creation (spec.nodeName). A pod whose template hash
// is stale is deleted and recreated. Status counts come from the pods' Ready conditions.
import { randomBytes } from 'node:crypto';
import { R } from '../../adapters/kube/resources.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { isPodReady, type Pod } from '../../core/workloads/kube-object.js';
import { TEMPLATE_HASH_LABEL, daemonSetPod, ordinalOf, selectorMatches, statefulSetPod, templateHash } from '../../core/workloads/pods.js';
import type { ControllerContext } from './controller-context.js';
import { splitKey } from '../../adapters/kube/informer.js';
import { WorkQueue, type ReconcileResult } from './internal/work-queue.js';

export class WorkloadController {
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((k) => this.reconcile(k), {
      concurrency: 2,
      backoff: { baseMs: 500, maxMs: 30_000 },
      onError: (key, err) => ctx.log(`workloads ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    const inf = ctx.informers;
    inf.statefulSets.onChange((key) => this.queue.add(`sts:${key}`));
    inf.daemonSets.onChange((key) => this.queue.add(`ds:${key}`));
    inf.nodes.onChange(() => { for (const ds of inf.daemonSets.list()) this.queue.add(`ds:${ds.metadata.namespace ?? ''}/${ds.metadata.name}`); });
    inf.pods.onChange((key, pod, old) => {
      if (pod && !pod.spec.nodeName && !pod.metadata.deletionTimestamp) this.queue.add(`bind:${key}`);
      const p = pod ?? old;
      for (const ref of p?.metadata.ownerReferences ?? []) {
        if (ref.kind === 'StatefulSet') this.queue.add(`sts:${p?.metadata.namespace ?? ''}/${ref.name}`);
        if (ref.kind === 'DaemonSet') this.queue.add(`ds:${p?.metadata.namespace ?? ''}/${ref.name}`);
      }
    });
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }

  private async reconcile(qkey: string): Promise<ReconcileResult> {
    if (!this.ctx.synced()) return { requeueAfterMs: 200 };
    const [kind, key = ''] = qkey.split(/:(.*)/s);
    if (kind === 'bind') return this.bindPod(key);
    return kind === 'sts' ? this.reconcileStatefulSet(key) : this.reconcileDaemonSet(key);
  }

  /**
   * The scheduler's part: a pod created without spec.nodeName (e.g. a user's app pod) is bound
   * to this node when its nodeSelector matches; the node agent then runs or refuses it.
   */
  private async bindPod(key: string): Promise<ReconcileResult> {
    const pod = this.ctx.informers.pods.get(key);
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) return undefined;
    const node = this.ctx.informers.nodes.get(this.ctx.nodeName);
    if (!node || !selectorMatches(pod.spec.nodeSelector, node.metadata.labels)) return { requeueAfterMs: 5_000 };
    await this.ctx.client.patch(R.pod, pod.metadata.namespace, pod.metadata.name, { spec: { nodeName: this.ctx.nodeName } });
    return undefined;
  }

  private podsOf(namespace: string, uid: string | undefined): Pod[] {
    return this.ctx.informers.pods.list().filter((p) => p.metadata.namespace === namespace && (p.metadata.ownerReferences ?? []).some((r) => r.uid === uid));
  }

  private async createPod(pod: Pod): Promise<void> {
    try {
      await this.ctx.client.create(R.pod, pod);
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 409)) throw err;
    }
  }

  private async reconcileStatefulSet(key: string): Promise<ReconcileResult> {
    const sts = this.ctx.informers.statefulSets.get(key);
    if (!sts || sts.metadata.deletionTimestamp) return undefined;
    const ns = splitKey(key).namespace ?? 'default';
    const hash = templateHash(sts);
    const pods = this.podsOf(ns, sts.metadata.uid);
    const replicas = Math.max(0, sts.spec.replicas ?? 1);
    let requeue: number | undefined;
    for (let i = 0; i < replicas; i++) {
      const name = `${sts.metadata.name}-${i}`;
      const existing = this.ctx.informers.pods.get(`${ns}/${name}`);
      if (!existing) {
        await this.createPod(statefulSetPod(sts, i, this.ctx.nodeName));
        continue;
      }
      if (existing.metadata.deletionTimestamp) { requeue = 1_000; continue; }
      if (existing.metadata.labels?.[TEMPLATE_HASH_LABEL] !== hash && (existing.metadata.ownerReferences ?? []).some((r) => r.uid === sts.metadata.uid)) {
        await this.ctx.client.delete(R.pod, ns, name);
      }
    }
    for (const p of pods) {
      const ord = ordinalOf(sts.metadata.name, p.metadata.name);
      if (ord === undefined || ord >= replicas) await this.ctx.client.delete(R.pod, ns, p.metadata.name);
    }
    const live = this.podsOf(ns, sts.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const status = {
      replicas: live.length,
      readyReplicas: live.filter(isPodReady).length,
      availableReplicas: live.filter(isPodReady).length,
      currentReplicas: live.filter((p) => p.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash).length,
      updatedReplicas: live.filter((p) => p.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash).length,
      observedGeneration: (sts.metadata as { generation?: number }).generation ?? 1,
    };
    if (JSON.stringify(pick(sts.status, status)) !== JSON.stringify(status)) {
      await this.ctx.client.patch(R.statefulSet, ns, sts.metadata.name, { status }, { status: true });
    }
    return requeue !== undefined ? { requeueAfterMs: requeue } : undefined;
  }

  private async reconcileDaemonSet(key: string): Promise<ReconcileResult> {
    const ds = this.ctx.informers.daemonSets.get(key);
    if (!ds || ds.metadata.deletionTimestamp) return undefined;
    const ns = splitKey(key).namespace ?? 'default';
    const hash = templateHash(ds);
    const selector = ds.spec.template.spec.nodeSelector;
    const nodes = this.ctx.informers.nodes.list().filter((n) => selectorMatches(selector, n.metadata.labels));
    const nodeNames = new Set(nodes.map((n) => n.metadata.name));
    const pods = this.podsOf(ns, ds.metadata.uid);
    let requeue: number | undefined;
    for (const node of nodeNames) {
      const mine = pods.filter((p) => p.spec.nodeName === node);
      const live = mine.filter((p) => !p.metadata.deletionTimestamp);
      if (live.length === 0) {
        if (mine.length > 0) { requeue = 1_000; continue; }
        await this.createPod(daemonSetPod(ds, suffix(), node));
        continue;
      }
      for (const extra of live.slice(1)) await this.ctx.client.delete(R.pod, ns, extra.metadata.name);
      const first = live[0];
      if (first && first.metadata.labels?.[TEMPLATE_HASH_LABEL] !== hash) await this.ctx.client.delete(R.pod, ns, first.metadata.name);
    }
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp && !nodeNames.has(p.spec.nodeName ?? '')) await this.ctx.client.delete(R.pod, ns, p.metadata.name);
    }
    const live = this.podsOf(ns, ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp && nodeNames.has(p.spec.nodeName ?? ''));
    const ready = live.filter(isPodReady).length;
    const status = {
      desiredNumberScheduled: nodeNames.size,
      currentNumberScheduled: live.length,
      numberReady: ready,
      numberAvailable: ready,
      numberUnavailable: Math.max(0, nodeNames.size - ready),
      numberMisscheduled: 0,
      updatedNumberScheduled: live.filter((p) => p.metadata.labels?.[TEMPLATE_HASH_LABEL] === hash).length,
      observedGeneration: (ds.metadata as { generation?: number }).generation ?? 1,
    };
    if (JSON.stringify(pick(ds.status, status)) !== JSON.stringify(status)) {
      await this.ctx.client.patch(R.daemonSet, ns, ds.metadata.name, { status }, { status: true });
    }
    return requeue !== undefined ? { requeueAfterMs: requeue } : undefined;
  }
}

/** The fields of `actual` named by `wanted`, in wanted's key order (for change detection). */
function pick(actual: unknown, wanted: Record<string, unknown>): Record<string, unknown> {
  const a = (actual ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(wanted).map((k) => [k, a[k]]));
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes-style random 5 character name suffix. */
function suffix(): string {
  return [...randomBytes(5)].map((b) => ALPHABET[b % ALPHABET.length] ?? 'x').join('');
}

// One controller per data operation kind (DataLoad, DataClean, ...): Pending -> Executing ->
// Complete | Failed, as in Fluid. Each reconcile, in order:
//   1. finished: ttlSecondsAfterFinished deletes it that long after its Complete/Failed transition;
//   2. when to run (policy Once / Cron, dataset bound: core/reconcile/dataload-decision);
//   3. spec.runAfter: wait until the preceding operation is Complete (status.waitingFor.operationComplete);
//   4. the runtime's masters and engine credential;
//   5. the dataset lock (status.operationRef[kind], core/reconcile/operation-lock), taken with a
//      resourceVersion precondition so two operations cannot both take it;
//   6. run the kind's executor in the background, then record the result and release the lock.
// A restarted controller finds an Executing operation that holds the lock and runs it again: every
// executor is idempotent or resumes from what its status recorded. Any step may be re-run.
import type { KubeClient, ResourceType } from '../../adapters/kube/kube-client.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { MasterClient, type EngineCredential } from '../../adapters/engine-client/index.js';
import { R } from '../../adapters/kube/resources.js';
import { Informer } from '../../adapters/kube/informer.js';
import { humanDuration } from '../../api/kinds/human-duration.js';
import { decideDataLoad, type DataLoadPolicy } from '../../core/reconcile/dataload-decision.js';
import { masterEndpoints, type AddressedNode } from '../../core/reconcile/master-endpoints.js';
import {
  decideLock, decideRunAfter, decideTtl, holderKey, parseHolderKey, releaseValue,
  type OperationKind, type OperationPhase, type OperationRefMap,
} from '../../core/reconcile/operation-lock.js';
import { parsePorts } from '../../core/reconcile/port-allocation.js';
import { arr, num, rec, str } from '../../core/reconcile/spec-view.js';
import type { Condition, KubeObject } from '../../core/workloads/kube-object.js';
import { kubeTime } from '../../core/workloads/kube-time.js';
import { PORTS_ANNOTATION, masterName } from '../../core/workloads/names.js';
import { setCondition } from './conditions.js';
import type { ControllerContext } from './controller-context.js';
import { readEngineCredential } from './engine-credential-secret.js';
import { eventRecorder, type EventRecorder } from './event-recorder.js';
import { WorkQueue, type ReconcileResult } from './internal/work-queue.js';

export type OperationObject = KubeObject & { status?: Record<string, unknown> };

/** What an executor gets for one run. */
export interface OperationRun {
  /** The runtime's masters (only for executors that need the engine). */
  readonly master: MasterClient;
  readonly client: KubeClient;
  /** The operation's own namespace and name. */
  readonly namespace: string;
  readonly operation: string;
  readonly dataset: { readonly namespace: string; readonly name: string };
  /** The operation's status when the run started (a resumed run reads its progress from here). */
  readonly status: Readonly<Record<string, unknown>>;
  /** Merges fields into the operation's status (progress while running). */
  progress(fields: Record<string, unknown>): Promise<void>;
}

export interface OperationOutcome {
  /** Status fields to set with phase Complete. */
  readonly status: Record<string, unknown>;
  /** The Complete condition's and event's message. */
  readonly message: string;
}

/** The kind-specific part of a data operation. */
export interface OperationExecutor {
  readonly kind: OperationKind;
  readonly resource: ResourceType;
  /** Started event message, e.g. "loading / into the cache". */
  describe(spec: Record<string, unknown>): string;
  /** False when the operation does not talk to the cache engine (no master or credential needed). Default true. */
  readonly needsEngine?: boolean;
  /** A missing target dataset fails the operation at once (default: it waits for the dataset). */
  readonly failWhenDatasetMissing?: boolean;
  /** The dataset the operation works on (and locks); default spec.dataset. */
  dataset?(spec: Record<string, unknown>, namespace: string): { name: string; namespace: string };
  /** Status fields set when a run starts. */
  startStatus(spec: Record<string, unknown>): Record<string, unknown>;
  /** Runs the operation; throwing fails it with the error's message. */
  run(spec: Record<string, unknown>, env: OperationRun): Promise<OperationOutcome>;
}

/** Where each operation kind lives, for spec.runAfter lookups. */
const OPERATION_RESOURCES: Readonly<Partial<Record<OperationKind, ResourceType>>> = { DataLoad: R.dataLoad, DataClean: R.dataClean, DataMigrate: R.dataMigrate, DataProcess: R.dataProcess, DataBackup: R.dataBackup };

export class DataOperationController {
  readonly informer: Informer<OperationObject>;
  private readonly queue: WorkQueue;
  private readonly running = new Set<string>();
  private readonly events: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly exec: OperationExecutor, private readonly runtimes: () => readonly Informer<KubeObject>[]) {
    this.informer = new Informer<OperationObject>(ctx.client, exec.resource, { resyncMs: 30_000, log: ctx.log });
    this.queue = new WorkQueue((k) => this.reconcile(k), {
      concurrency: 2,
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      onError: (key, err) => ctx.log(`${exec.kind} ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.informer.onChange((key) => this.queue.add(key));
    this.events = eventRecorder(ctx.client, exec.kind, ctx.log);
    // A lock released (or a dataset bound) may unblock any operation of this kind.
    ctx.informers.datasets.onChange(() => { for (const o of this.informer.list()) this.queue.add(keyOf(o)); });
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    if (!this.ctx.synced()) return { requeueAfterMs: 200 };
    const cached = this.informer.get(key);
    if (!cached || cached.metadata.deletionTimestamp) return undefined;
    const op: OperationObject = structuredClone(cached);
    const ns = op.metadata.namespace ?? 'default';
    const spec = rec(op.spec) ?? {};
    const target = this.exec.dataset?.(spec, ns) ?? { name: str(rec(spec['dataset'])?.['name']) ?? '', namespace: str(rec(spec['dataset'])?.['namespace']) ?? ns };
    const status = op.status ?? {};
    const phase = str(status['phase']) as OperationPhase | undefined;
    const now = Date.now();
    if (this.running.has(key)) return undefined;

    if (phase === 'Complete' || phase === 'Failed') {
      const ttl = num(spec['ttlSecondsAfterFinished']);
      const finished = arr(status['conditions']).map(rec).find((c) => c?.['type'] === phase && c['status'] === 'True');
      const t = decideTtl(ttl, Date.parse(str(finished?.['lastTransitionTime']) ?? ''), now);
      if (t.action === 'delete') {
        await this.ctx.client.delete(this.exec.resource, ns, op.metadata.name);
        return undefined;
      }
      if (t.requeueAfterMs !== undefined && (str(spec['policy']) ?? 'Once') === 'Once') return { requeueAfterMs: t.requeueAfterMs };
    }

    const dataset = this.ctx.informers.datasets.get(`${target.namespace}/${target.name}`);
    const decision = decideDataLoad({
      phase,
      policy: (str(spec['policy']) ?? 'Once') as DataLoadPolicy,
      schedule: str(spec['schedule']),
      lastScheduleTimeMs: str(status['lastScheduleTime']) ? Date.parse(str(status['lastScheduleTime']) ?? '') : undefined,
      createdMs: Date.parse(op.metadata.creationTimestamp ?? '') || now,
      datasetBound: rec(dataset?.status)?.['phase'] === 'Bound',
      running: false,
    }, now);
    switch (decision.action) {
      case 'idle':
        return decision.requeueAfterMs !== undefined ? { requeueAfterMs: decision.requeueAfterMs } : undefined;
      case 'fail':
        await this.patch(op, { phase: 'Failed' }, { type: 'Failed', status: 'True', reason: decision.reason, message: decision.message });
        return undefined;
      case 'wait':
        if (!dataset && this.exec.failWhenDatasetMissing) {
          await this.patch(op, { phase: 'Failed' }, { type: 'Failed', status: 'True', reason: 'TargetDatasetNotFound', message: `spec.dataset.name: dataset ${target.namespace}/${target.name} does not exist` });
          return undefined;
        }
        return this.wait(op, decision.reason, dataset ? `waiting: dataset ${target.namespace}/${target.name} is not bound to a runtime yet` : `waiting: dataset ${target.namespace}/${target.name} (spec.dataset) does not exist`, decision.requeueAfterMs);
      case 'start':
        break;
    }

    const runAfter = rec(spec['runAfter']);
    const ra = runAfter ? { kind: str(runAfter['kind']) ?? '', name: str(runAfter['name']) ?? '', ...(str(runAfter['namespace']) ? { namespace: str(runAfter['namespace']) as string } : {}) } : undefined;
    const preceding = ra ? await this.phaseOfOperation(ra.kind, ra.namespace ?? ns, ra.name) : undefined;
    const gate = decideRunAfter(ra, ns, preceding);
    if (gate.action === 'invalid') {
      await this.patch(op, { phase: 'Failed' }, { type: 'Failed', status: 'True', reason: 'InvalidRunAfter', message: gate.message });
      return undefined;
    }
    if (gate.action === 'wait') {
      if (rec(status['waitingFor'])?.['operationComplete'] !== true || phase !== 'Pending') {
        await this.events.record(this.ref(op), gate.reason === 'DataOperationNotFound' ? 'Warning' : 'Normal', gate.reason, gate.message);
      }
      return this.wait(op, gate.reason, gate.message, 2_000, { waitingFor: { operationComplete: true } });
    }

    let engine: { masters: string[]; credential: EngineCredential } | undefined;
    if (this.exec.needsEngine !== false) {
      const masters = this.masterAddresses(target.namespace, target.name);
      if (masters.length === 0) return this.wait(op, 'NoMaster', `dataset ${target.namespace}/${target.name} has no runtime master to work through`, 5_000);
      const credential = await readEngineCredential(this.ctx.client, target.namespace, target.name);
      if (!credential) return this.wait(op, 'NoEngineCredential', `dataset ${target.namespace}/${target.name}: the runtime's engine credential Secret does not exist yet`, 5_000);
      engine = { masters, credential };
    }

    const lock = await this.takeLock(op, target);
    if (lock.action === 'wait') return this.wait(op, lock.reason, lock.message, 2_000);
    if (lock.action === 'conflict') return { requeueAfterMs: 100 };

    this.running.add(key);
    const before = structuredClone(status);
    const resumed = phase === 'Executing';
    await this.patch(op, { phase: 'Executing', lastScheduleTime: resumed ? status['lastScheduleTime'] ?? kubeTime(new Date(now)) : kubeTime(new Date(now)), duration: null, waitingFor: ra ? { operationComplete: false } : null, ...(resumed ? {} : this.exec.startStatus(spec)) },
      { type: 'Complete', status: 'False', reason: 'Executing', message: this.exec.describe(spec) });
    const startMs = resumed ? Date.parse(str(status['lastScheduleTime']) ?? '') || now : now;
    void this.execute(key, op, before, spec, target, engine, startMs).finally(() => {
      this.running.delete(key);
      this.queue.add(key);
    });
    return undefined;
  }

  private async execute(key: string, op: OperationObject, before: Record<string, unknown>, spec: Record<string, unknown>, target: { namespace: string; name: string }, engine: { masters: string[]; credential: EngineCredential } | undefined, startMs: number): Promise<void> {
    const master = engine ? new MasterClient(engine.masters, { credential: engine.credential, failoverTimeoutMs: 15_000 }) : undefined;
    const exec = this.exec;
    const env: OperationRun = {
      get master(): MasterClient {
        if (!master) throw new Error(`internal: ${op.metadata.name}: a ${exec.kind} executor without needsEngine used the engine`);
        return master;
      }, client: this.ctx.client, namespace: op.metadata.namespace ?? 'default', operation: op.metadata.name, dataset: target, status: before,
      progress: async (fields) => { await this.patch(op, fields); },
    };
    try {
      const out = await this.exec.run(spec, env);
      if (!this.informer.get(key)) return;
      const done = kubeTime(new Date());
      await this.patch(op, { ...out.status, phase: 'Complete', duration: humanDuration(Date.now() - startMs), lastSuccessfulTime: done },
        { type: 'Complete', status: 'True', reason: `${this.exec.kind}Complete`, message: out.message });
    } catch (err) {
      if (!this.informer.get(key)) return;
      await this.patch(op, { phase: 'Failed', duration: humanDuration(Date.now() - startMs) },
        { type: 'Failed', status: 'True', reason: `${this.exec.kind}Failed`, message: err instanceof Error ? err.message : String(err) });
    } finally {
      await this.releaseLock(op, target).catch((err: unknown) => this.ctx.log(`${this.exec.kind} ${key}: releasing the dataset lock: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  /** Pending with a Complete=False condition saying why; requeued after `ms`. */
  private async wait(op: OperationObject, reason: string, message: string, ms: number, extra: Record<string, unknown> = {}): Promise<ReconcileResult> {
    const cond = arr(op.status?.['conditions']).map(rec).find((c) => c?.['type'] === 'Complete');
    if (str(op.status?.['phase']) !== 'Pending' || cond?.['reason'] !== reason || cond['message'] !== message) {
      await this.patch(op, { phase: 'Pending', ...extra }, { type: 'Complete', status: 'False', reason, message });
    }
    return { requeueAfterMs: ms };
  }

  private async phaseOfOperation(kind: string, namespace: string, name: string): Promise<OperationPhase | 'Missing' | undefined> {
    const rt = (OPERATION_RESOURCES as Record<string, ResourceType | undefined>)[kind];
    if (!rt) return 'Missing';
    const o = rt === this.exec.resource ? this.informer.get(`${namespace}/${name}`) : await this.ctx.client.get<OperationObject>(rt, namespace, name);
    return o ? (str(o.status?.['phase']) as OperationPhase | undefined) : 'Missing';
  }

  private async takeLock(op: OperationObject, target: { namespace: string; name: string }): Promise<{ action: 'ok' } | { action: 'conflict' } | { action: 'wait'; reason: string; message: string }> {
    const ds = await this.ctx.client.get<OperationObject>(R.dataset, target.namespace, target.name);
    if (!ds) return { action: 'wait', reason: 'DatasetNotFound', message: `waiting: dataset ${target.namespace}/${target.name} (spec.dataset) does not exist` };
    const ref = rec(ds.status?.['operationRef']) as OperationRefMap | undefined;
    const self = holderKey(op.metadata.namespace ?? 'default', op.metadata.name, target.namespace);
    const d = decideLock(ref, this.exec.kind, self, (h) => {
      const { namespace, name } = parseHolderKey(h, target.namespace);
      const o = this.informer.get(`${namespace}/${name}`);
      return o ? (str(o.status?.['phase']) as OperationPhase | undefined) : 'Missing';
    });
    if (d.action === 'held') return { action: 'ok' };
    if (d.action === 'wait') return { action: 'wait', reason: d.reason, message: d.message };
    try {
      await this.ctx.client.patch(R.dataset, target.namespace, target.name,
        { metadata: { resourceVersion: ds.metadata.resourceVersion }, status: { operationRef: { [this.exec.kind]: d.value } } }, { status: true });
    } catch (err) {
      if (err instanceof KubeApiError && err.isConflict()) return { action: 'conflict' };
      throw err;
    }
    return { action: 'ok' };
  }

  private async releaseLock(op: OperationObject, target: { namespace: string; name: string }): Promise<void> {
    const self = holderKey(op.metadata.namespace ?? 'default', op.metadata.name, target.namespace);
    for (let attempt = 0; attempt < 10; attempt++) {
      const ds = await this.ctx.client.get<OperationObject>(R.dataset, target.namespace, target.name);
      if (!ds) return;
      const ref = rec(ds.status?.['operationRef']) as OperationRefMap | undefined;
      const value = releaseValue(ref, this.exec.kind, self);
      if (value === undefined) return;
      // The last lock gone: the map goes too (Fluid's operationRef is omitempty).
      const others = Object.keys(ref ?? {}).filter((k) => k !== this.exec.kind);
      const operationRef = value === null && others.length === 0 ? null : { [this.exec.kind]: value };
      try {
        await this.ctx.client.patch(R.dataset, target.namespace, target.name,
          { metadata: { resourceVersion: ds.metadata.resourceVersion }, status: { operationRef } }, { status: true });
        return;
      } catch (err) {
        if (!(err instanceof KubeApiError && err.isConflict())) throw err;
      }
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

  private ref(op: OperationObject): KubeObject {
    return { ...op, apiVersion: 'data.fluid.io/v1alpha1', kind: this.exec.kind };
  }

  /** Merge-patches the status; `op` (a private copy, never the informer's object) takes the answer. */
  private async patch(op: OperationObject, fields: Record<string, unknown>, cond?: Condition): Promise<void> {
    const status: Record<string, unknown> = { ...fields };
    if (cond) status['conditions'] = setCondition(arr(op.status?.['conditions']) as Condition[], cond);
    const before = str(op.status?.['phase']);
    const updated = await this.ctx.client.patch<OperationObject>(this.exec.resource, op.metadata.namespace, op.metadata.name, { status }, { status: true });
    op.status = updated.status;
    const phase = str(fields['phase']);
    if (phase === undefined || phase === before) return;
    // One event per phase change: Started, Complete or Failed (with the condition's message).
    const ev = phase === 'Executing' ? { type: 'Normal', reason: 'Started' } as const
      : phase === 'Complete' ? { type: 'Normal', reason: 'Complete' } as const
        : phase === 'Failed' ? { type: 'Warning', reason: 'Failed' } as const : undefined;
    if (ev) await this.events.record(this.ref(op), ev.type, ev.reason, cond?.message ?? phase);
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

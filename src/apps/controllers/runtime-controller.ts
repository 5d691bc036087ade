// Runtime controller, one instance per registered engine kind (AlluxioRuntime, JindoRuntime, ...).
// Each reconcile observes the world, asks core/reconcile/setup-pipeline for the first unmet step
// and runs it; every step is idempotent, so a crash at any point is repaired by the next pass.
// Once set up, the same reconcile runs every SYNC_MS as the periodic sync: dataset ufsTotal and
// cacheStates from the master's stats, runtime counts and phases from the workloads.
// Deletion (finalizer): each pod is marked for teardown (fluid.io/teardown), then the workloads
// are deleted and their pods are gone: the node agent of each pod's node stops the process,
// unmounts the FUSE mount and frees the pod's cache dirs (work on a host belongs to that host's
// agent, never to this controller, which may run on any node). Then PV/PVC and node labels are
// removed and the dataset goes back to NotBound.
import { createHash } from 'node:crypto';
import { loopbackPortFree } from '../../adapters/process/free-port.js';
import { MasterClient, cleanPath, type MasterClientOptions } from '../../adapters/engine-client/index.js';
import type { ResourceType } from '../../adapters/kube/kube-client.js';
import { R } from '../../adapters/kube/resources.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { cacheStates } from '../../core/reconcile/cache-states.js';
import { masterEndpoints, masterHosts } from '../../core/reconcile/master-endpoints.js';
import { allocatePorts, extendPorts, parsePorts, portsNeeded, portsOf } from '../../core/reconcile/port-allocation.js';
import type { DatasetMountView, EnginePlan, PlanInput, PortAllocation, RuntimeEngine } from '../../core/reconcile/runtime-engine.js';
import type { AddressedNode } from '../../core/reconcile/master-endpoints.js';
import { runtimePhase } from '../../core/reconcile/runtime-phase.js';
import { CLEAN_CACHE_ANNOTATION, cleanCachePolicyOf, decideShutdownClean } from '../../core/reconcile/shutdown-clean.js';
import { nextSetupStep, type SetupObservation, type SetupStep } from '../../core/reconcile/setup-pipeline.js';
import { arr, rec, str } from '../../core/reconcile/spec-view.js';
import type { Condition, ConfigMapLike, DaemonSet, KubeObject, Pod, StatefulSet } from '../../core/workloads/kube-object.js';
import {
  FUSE_CONFIG_KEY, PORTS_ANNOTATION, RUNTIME_FINALIZER, TEARDOWN_ANNOTATION, cacheNodeLabel, configKey, configMapName, engineTokenSecretName, fuseName, fuseNodeLabel, masterName, pvName, runtimeLabels,
  workerName,
} from '../../core/workloads/names.js';
import { engineConfigMap, fuseDaemonSet, persistentVolume, persistentVolumeClaim, statefulSet, type RuntimeRef } from '../../core/workloads/templates.js';
import { formatBytes } from '../../api/quantity.js';
import type { ControllerContext } from './controller-context.js';
import { Informer, splitKey } from '../../adapters/kube/informer.js';
import { WorkQueue, type ReconcileResult } from './internal/work-queue.js';
import { setCondition } from './conditions.js';
import { ensureEngineCredential, requireEngineCredential } from './engine-credential-secret.js';
import { eventRecorder, type EventRecorder } from './event-recorder.js';
import { podCause, type PodCause } from '../../core/workloads/pod-cause.js';
import { coversDesired, sameJson } from '../../core/workloads/applied.js';
import { juicefsDatasetStatus } from '../../core/juicefs/juicefs-status.js';
import { fetchPodStats } from './pod-stats.js';

/** Period of the status sync once a runtime is set up. */
export const SYNC_MS = 5_000;
const PLAN_HASH_ANNOTATION = 'fluid.io/plan-hash';

type Obj = KubeObject & { status?: Record<string, unknown> };

export class RuntimeController {
  readonly informer: Informer<KubeObject>;
  private readonly queue: WorkQueue;
  private readonly resource: ResourceType;
  private readonly typeName: string;
  private readonly events: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly engine: RuntimeEngine, resource: ResourceType, private readonly allRuntimes: () => readonly Informer<KubeObject>[]) {
    this.resource = resource;
    this.typeName = engine.kind.replace(/Runtime$/, '').toLowerCase();
    this.events = eventRecorder(ctx.client, engine.kind, ctx.log);
    this.informer = new Informer<KubeObject>(ctx.client, resource, { resyncMs: 30_000, log: ctx.log });
    this.queue = new WorkQueue((k) => this.reconcile(k), {
      concurrency: 2,
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      onError: (key, err) => ctx.log(`${engine.kind} ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.informer.onChange((key) => this.queue.add(key));
    ctx.informers.datasets.onChange((key) => { if (this.informer.get(key)) this.queue.add(key); });
    const kick = (o: KubeObject | undefined): void => {
      const release = o?.metadata.labels?.['release'];
      if (release && o?.metadata.namespace) {
        const key = `${o.metadata.namespace}/${release}`;
        if (this.informer.get(key)) this.queue.add(key);
      }
    };
    ctx.informers.statefulSets.onChange((_k, o, old) => kick(o ?? old));
    ctx.informers.daemonSets.onChange((_k, o, old) => kick(o ?? old));
    ctx.informers.pods.onChange((_k, o, old) => kick(o ?? old));
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    if (!this.ctx.synced()) return { requeueAfterMs: 200 };
    const rt = this.informer.get(key) as Obj | undefined;
    if (!rt) return undefined;
    if (rt.metadata.deletionTimestamp) return this.teardown(rt);
    if (!(rt.metadata.finalizers ?? []).includes(RUNTIME_FINALIZER)) {
      await this.ctx.client.patch(this.resource, rt.metadata.namespace, rt.metadata.name, {
        metadata: { finalizers: [...(rt.metadata.finalizers ?? []), RUNTIME_FINALIZER], resourceVersion: rt.metadata.resourceVersion },
      });
      return undefined; // the update event brings us back
    }
    const ns = rt.metadata.namespace ?? 'default';
    const name = rt.metadata.name;
    const spec = rec(rt.spec) ?? {};
    const dataset = this.ctx.informers.datasets.get(key);
    if (!dataset || dataset.metadata.deletionTimestamp) {
      await this.notReady(rt, 'DatasetNotFound', `no Dataset named "${name}" in namespace "${ns}": a runtime binds the Dataset with its own name and namespace; create it`);
      return { requeueAfterMs: 10_000 };
    }
    const boundTo = arr(rec(dataset.status)?.['runtimes']).map(rec).find((r) => r && str(r['name']));
    if (boundTo && str(boundTo['type']) !== this.typeName && rec(dataset.status)?.['phase'] === 'Bound') {
      await this.notReady(rt, 'DatasetBoundElsewhere', `dataset ${ns}/${name} is already bound to a ${String(boundTo['type'])} runtime`);
      return { requeueAfterMs: 10_000 };
    }

    // Ports first: the plan needs them, and they must survive restarts (persisted on the runtime).
    const counts = this.engine.counts(spec);
    const current = parsePorts(rt.metadata.annotations?.[PORTS_ANNOTATION]);
    const need = portsNeeded(current, counts);
    if (need > 0) {
      const ports = extendPorts(current, counts, await this.freshPorts(need));
      await this.ctx.client.patch(this.resource, ns, name, { metadata: { annotations: { [PORTS_ANNOTATION]: JSON.stringify(ports) }, resourceVersion: rt.metadata.resourceVersion } });
      return undefined;
    }
    const ports = current as PortAllocation;
    const clusterObjects: Record<string, unknown> = {};
    for (const ref of this.engine.clusterRefs?.(spec) ?? []) {
      clusterObjects[`${ref.plural}/${ref.name}`] = await this.ctx.client.get({ group: ref.group, version: 'v1alpha1', plural: ref.plural, namespaced: false }, undefined, ref.name) ?? null;
    }
    const input: PlanInput = { clusterObjects,
      kind: this.engine.kind, namespace: ns, name, spec, ports,
      dataset: { name, namespace: ns, mounts: arr(rec(dataset.spec)?.['mounts']) as DatasetMountView[], accessModes: arr(rec(dataset.spec)?.['accessModes']).filter((x): x is string => typeof x === 'string'), ...restoreLocation(dataset) },
      layout: this.ctx.layout,
    };
    const specOnly = this.engine.plan(input);
    // The observed placement of the masters only fills in addresses: it is not part of the plan
    // hash (which stamps the workloads and the UFSPrepared condition), so pods being placed do not
    // re-run the setup of what the spec decided.
    const result = this.engine.plan({ ...input, masterHosts: masterHosts(masterName(this.engine.kind, name), this.engine.counts(spec).master, this.podsOf(ns), this.ctx.informers.nodes.list() as AddressedNode[]) });
    if (!result.ok || !specOnly.ok) {
      if (result.ok) throw new Error('unreachable: a plan failed only without master addresses');
      await this.notReady(rt, result.reason, result.message);
      return { requeueAfterMs: 30_000 };
    }
    const plan = result.plan;
    const ref: RuntimeRef = { apiVersion: rt.apiVersion, kind: rt.kind, name, namespace: ns, uid: rt.metadata.uid ?? '' };
    // Before any engine pod: the pods mount this Secret and refuse to start without it.
    await ensureEngineCredential(this.ctx.client, ref);
    const missing = await this.missingSecret(ns, plan);
    if (missing) {
      await this.notReady(rt, 'SecretNotFound', missing);
      return { requeueAfterMs: 10_000 };
    }
    const planHash = hashOf(specOnly.plan);

    for (let pass = 0; pass < 12; pass++) {
      const obs = await this.observe(rt, dataset, plan, planHash);
      const step = nextSetupStep(obs);
      if (step === 'done') return this.sync(rt, plan);
      const wait = await this.runStep(step, rt, ref, plan, planHash, obs);
      if (wait !== undefined) {
        await this.writeStatus(rt, plan, [this.waitingCondition(rt, step)]);
        return { requeueAfterMs: wait };
      }
      const fresh = this.informer.get(key);
      if (!fresh || fresh.metadata.deletionTimestamp) return undefined;
      Object.assign(rt, fresh);
    }
    return { requeueAfterMs: 500 };
  }

  // ---------------------------------------------------------------- observation

  private async observe(rt: Obj, dataset: KubeObject, plan: EnginePlan, planHash: string): Promise<SetupObservation> {
    const ns = rt.metadata.namespace ?? 'default';
    const name = rt.metadata.name;
    const inf = this.ctx.informers;
    const { msts, wsts, fds } = this.workloads(rt);
    const cm = await this.ctx.client.get<ConfigMapLike>(R.configMap, ns, configMapName(name));
    const cmOk = !!cm && sameJson(cm.data ?? {}, plan.configs);
    const current = (o: KubeObject | undefined): boolean => !!o && o.metadata.annotations?.[PLAN_HASH_ANNOTATION] === planHash && !o.metadata.deletionTimestamp;
    const conds = arr(rt.status?.['conditions']).map(rec);
    const ufsPrepared = conds.some((c) => c && c['type'] === 'UFSPrepared' && c['status'] === 'True' && str(c['message'])?.includes(planHash));
    const node = inf.nodes.get(this.ctx.nodeName);
    const pv = await this.ctx.client.get(R.pv, undefined, pvName(ns, name));
    const pvc = await this.ctx.client.get(R.pvc, ns, name);
    const dsRuntimes = arr(rec(dataset.status)?.['runtimes']).map(rec);
    const fuseLabeled = this.ctx.fuseOnDemand || node?.metadata.labels?.[fuseNodeLabel(ns, name)] === 'true';
    const counts = this.counts(rt, plan);
    return {
      hasMaster: plan.master !== null,
      // A fuse-only engine (ThinRuntime: no master, no worker) still runs the fuse DaemonSet in setupWorkers.
      hasWorkers: (plan.worker !== null && plan.worker.replicas > 0) || (plan.master === null && plan.worker === null),
      masterSetUp: cmOk && current(msts),
      masterReady: (msts?.status?.readyReplicas ?? 0) >= 1,
      ufsPrepared,
      workersSetUp: cmOk && (plan.worker === null || current(wsts)) && current(fds) && fuseLabeled,
      // The FUSE must serve before the dataset is Bound: `fluid mount-path` then reads at once.
      workersReady: (plan.worker === null || (wsts?.status?.readyReplicas ?? 0) >= 1) && (this.ctx.fuseOnDemand || (fds?.status?.numberReady ?? 0) >= 1),
      statusUpToDate: rt.status?.['masterPhase'] !== undefined && sameJson(counts, pickKeys(rt.status, counts)),
      datasetBound: rec(dataset.status)?.['phase'] === 'Bound' && dsRuntimes.some((r) => r?.['name'] === name && r['type'] === this.typeName),
      volumeExists: !!pv && !!pvc && fuseLabeled,
      volumeCreated: rec(pv?.status)?.['phase'] === 'Bound' && rec(pvc?.status)?.['phase'] === 'Bound' && fuseLabeled,
    };
  }

  /** The runtime's master and worker StatefulSets and fuse DaemonSet, as the informers see them. */
  private workloads(rt: Obj): { msts: StatefulSet | undefined; wsts: StatefulSet | undefined; fds: DaemonSet | undefined } {
    const ns = rt.metadata.namespace ?? 'default';
    const name = rt.metadata.name;
    const inf = this.ctx.informers;
    return {
      msts: inf.statefulSets.get(`${ns}/${masterName(this.engine.kind, name)}`),
      wsts: inf.statefulSets.get(`${ns}/${workerName(this.engine.kind, name)}`),
      fds: inf.daemonSets.get(`${ns}/${fuseName(this.engine.kind, name)}`),
    };
  }

  /** Fluid's runtime status counts and phases, from the workloads' status. */
  private counts(rt: Obj, plan: EnginePlan): Record<string, unknown> {
    const { msts, wsts, fds } = this.workloads(rt);
    const dm = plan.master?.replicas ?? 0;
    const dw = plan.worker?.replicas ?? 0;
    const rm = msts?.status?.readyReplicas ?? 0;
    const rw = wsts?.status?.readyReplicas ?? 0;
    const df = fds?.status?.desiredNumberScheduled ?? 0;
    const rf = fds?.status?.numberReady ?? 0;
    return {
      masterPhase: runtimePhase(dm, rm),
      workerPhase: runtimePhase(dw, rw),
      fusePhase: runtimePhase(df, rf),
      desiredMasterNumberScheduled: dm,
      currentMasterNumberScheduled: msts?.status?.replicas ?? 0,
      masterNumberReady: rm,
      desiredWorkerNumberScheduled: dw,
      currentWorkerNumberScheduled: wsts?.status?.replicas ?? 0,
      workerNumberReady: rw,
      workerNumberAvailable: rw,
      workerNumberUnavailable: Math.max(0, dw - rw),
      desiredFuseNumberScheduled: df,
      currentFuseNumberScheduled: fds?.status?.currentNumberScheduled ?? 0,
      fuseNumberReady: rf,
      fuseNumberAvailable: rf,
      fuseNumberUnavailable: Math.max(0, df - rf),
      // Fluid's fuseReason: why the FUSE is not ready, from its pods (empty when it is).
      // The scale subresource's labelSelectorPath: the worker pods (what `kubectl scale` scales).
      selector: Object.entries(runtimeLabels(rt.metadata.name, 'worker')).map(([k, v]) => `${k}=${v}`).sort().join(','),
      fuseReason: this.causes(rt, 'fuse').map((c) => `${c.pod}: ${c.message}`).join('; '),
    };
  }

  /** Why the runtime's pods of one role are not ready (see core/workloads/pod-cause). */
  private causes(rt: Obj, role: 'master' | 'worker' | 'fuse'): PodCause[] {
    const ns = rt.metadata.namespace ?? 'default';
    const name = rt.metadata.name;
    const prefix = `${role === 'master' ? masterName(this.engine.kind, name) : role === 'worker' ? workerName(this.engine.kind, name) : fuseName(this.engine.kind, name)}-`;
    return this.ctx.informers.pods.list()
      .filter((p) => p.metadata.namespace === ns && p.metadata.name.startsWith(prefix) && p.metadata.labels?.['release'] === name)
      .map(podCause)
      .filter((c): c is PodCause => c !== undefined);
  }

  // ---------------------------------------------------------------- steps

  /** Runs one step; returns a requeue delay when the step is waiting, undefined when it acted. */
  private async runStep(step: SetupStep, rt: Obj, ref: RuntimeRef, plan: EnginePlan, planHash: string, obs: SetupObservation): Promise<number | undefined> {
    const ns = ref.namespace;
    const stamp = <T extends KubeObject>(o: T): T => ({ ...o, metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), [PLAN_HASH_ANNOTATION]: planHash } } });
    switch (step) {
      case 'setupMaster':
        await this.apply(R.configMap, engineConfigMap(ref, plan.configs));
        if (plan.master) await this.applyRecorded(rt, R.statefulSet, stamp(statefulSet(ref, 'master', plan.master)), 'master');
        return undefined;
      case 'checkMasterReady':
        return 1_000;
      case 'prepareUfs': {
        const addrs = this.masterAddrs(rt, plan.master?.replicas ?? 0);
        try {
          const master = await this.masterClient(rt, addrs, { failoverTimeoutMs: 5_000, attemptTimeoutMs: 60_000 });
          const r = await master.loadMetadata('/', true);
          await this.patchConditions(rt, [{ type: 'UFSPrepared', status: 'True', reason: 'MetadataLoaded', message: `listed ${r.directoriesListed} directories, ${r.filesSeen} files (plan ${planHash})` }]);
          await this.events.record(rt, 'Normal', 'UFSPrepared', `listed the under storage: ${r.directoriesListed} directories, ${r.filesSeen} files`);
          return undefined;
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          await this.patchConditions(rt, [
            { type: 'UFSPrepared', status: 'False', reason: 'UFSUnreachable', message: `preparing the UFS failed: ${msg}` },
            { type: 'Ready', status: 'False', reason: 'UFSUnreachable', message: `preparing the UFS failed: ${msg}` },
          ], { ...this.counts(rt, plan) });
          return 15_000;
        }
      }
      case 'setupWorkers':
        await this.apply(R.configMap, engineConfigMap(ref, plan.configs));
        if (plan.worker && plan.worker.replicas > 0) {
          await this.labelNode({ [cacheNodeLabel(ns, ref.name)]: 'true' });
          await this.applyRecorded(rt, R.statefulSet, stamp(statefulSet(ref, 'worker', plan.worker)), 'workers');
        }
        // A fuse-only runtime waits for its fuse pod, so the node gets the fuse label now.
        // The PV will be used on this node (embedded mode): label it for the fuse DaemonSet now.
        if (!this.ctx.fuseOnDemand) await this.labelNode({ [fuseNodeLabel(ns, ref.name)]: 'true' });
        await this.applyRecorded(rt, R.daemonSet, stamp(fuseDaemonSet(ref, plan.fuse)), 'fuse');
        return undefined;
      case 'checkWorkersReady':
        return 1_000;
      case 'updateRuntimeStatus':
        await this.writeStatus(rt, plan, []);
        return undefined;
      case 'bindDataset': {
        const ds = this.ctx.informers.datasets.get(`${ns}/${ref.name}`);
        if (ds) await this.events.record({ ...ds, apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset' }, 'Normal', 'Bound', `bound to ${this.engine.kind} ${ref.name}; PersistentVolumeClaim "${ref.name}" is Bound`);
        const mounts = arr(rec(this.ctx.informers.datasets.get(`${ns}/${ref.name}`)?.spec)?.['mounts']);
        await this.ctx.client.patch(R.dataset, ns, ref.name, {
          status: {
            phase: 'Bound',
            runtimes: [{ name: ref.name, namespace: ns, category: 'Accelerate', type: this.typeName, masterReplicas: plan.master?.replicas ?? 0 }],
            mounts,
            // A fuse-only runtime (ThinRuntime) has no cache and no UFS listing: Fluid shows N/A.
            ...(plan.master === null && plan.worker === null
              ? { ufsTotal: 'N/A', cacheStates: { cached: 'N/A', cacheCapacity: 'N/A', cachedPercentage: 'N/A' } }
              : plan.podStats ? (await this.podStatus(rt, plan)) ?? {} : await this.cacheStatus(rt, plan)),
            conditions: setCondition(arr(rec(this.ctx.informers.datasets.get(`${ns}/${ref.name}`)?.status)?.['conditions']) as Condition[], {
              type: 'Ready', status: 'True', reason: 'DatasetReady', message: `The ddc runtime is ready (${this.engine.kind} ${ref.name}).`,
            }),
          },
        }, { status: true });
        return undefined;
      }
      case 'createVolume': {
        const readOnly = obs.hasMaster;
        await this.apply(R.pv, persistentVolume(ref, plan.mountPath, plan.mountType, readOnly));
        await this.apply(R.pvc, persistentVolumeClaim(ref, readOnly));
        if (!this.ctx.fuseOnDemand) await this.labelNode({ [fuseNodeLabel(ns, ref.name)]: 'true' });
        // The volume binder (embedded, or the cluster's) binds the pair; the dataset waits for it.
        return obs.volumeExists ? 500 : undefined;
      }
    }
  }

  /** Periodic sync after setup: master stats into the dataset, workload counts into the runtime. */
  private async sync(rt: Obj, plan: EnginePlan): Promise<ReconcileResult> {
    const ns = rt.metadata.namespace ?? 'default';
    const name = rt.metadata.name;
    const conds: Condition[] = [];
    if (plan.master) {
      const addrs = this.masterAddrs(rt, plan.master.replicas);
      try {
        const stats = await (await this.masterClient(rt, addrs, { failoverTimeoutMs: 3_000, attemptTimeoutMs: 10_000 })).stats();
        const dataset = this.ctx.informers.datasets.get(`${ns}/${name}`);
        const capacity = cacheCapacity(stats.cacheCapacityBytes, plan.cacheCapacityBytes);
        const states = { ...(rec(rec(dataset?.status)?.['cacheStates']) ?? {}), ...cacheStates(stats.cachedBytes, capacity, stats.ufsTotalBytes) };
        // status.mounts follows spec.mounts: a changed mountPoint is applied (see MOUNTS_HASH_ANNOTATION).
        const want = { ufsTotal: formatBytes(stats.ufsTotalBytes), cacheStates: states, fileNum: String(stats.fileCount), mountPoints: [plan.mountPath], mounts: arr(rec(dataset?.spec)?.['mounts']) };
        if (!sameJson(pickKeys(dataset?.status, want), want)) {
          await this.ctx.client.patch(R.dataset, ns, name, { status: want }, { status: true });
        }
        const fuse = this.causes(rt, 'fuse')[0];
        conds.push(fuse
          ? { type: 'Ready', status: 'False', reason: fuse.reason, message: `the FUSE is not ready: ${fuse.pod}: ${fuse.message}` }
          : { type: 'Ready', status: 'True', reason: 'RuntimeReady', message: `${this.engine.kind} ${name} is set up; the dataset is mounted at ${plan.mountPath}` });
      } catch (err) {
        conds.push({ type: 'Ready', status: 'False', reason: 'MasterUnreachable', message: `cannot read the master's stats: ${err instanceof Error ? err.message : String(err)}` });
      }
    } else if (plan.podStats) {
      // JuiceFSRuntime: the numbers come from JuiceFS itself, through the worker and FUSE pods.
      const st = await this.podStatus(rt, plan);
      if (st) {
        const dataset = this.ctx.informers.datasets.get(`${ns}/${name}`);
        const want = { ...st, mountPoints: [plan.mountPath], mounts: arr(rec(dataset?.spec)?.['mounts']) };
        if (JSON.stringify(pickKeys(dataset?.status, want)) !== JSON.stringify(want)) await this.ctx.client.patch(R.dataset, ns, name, { status: want }, { status: true });
      }
      const cause = [...this.causes(rt, 'fuse'), ...this.causes(rt, 'worker')][0];
      conds.push(cause
        ? { type: 'Ready', status: 'False', reason: cause.reason, message: `${cause.pod} is not ready: ${cause.message}` }
        : { type: 'Ready', status: 'True', reason: 'RuntimeReady', message: `${this.engine.kind} ${name} is set up; the dataset is mounted at ${plan.mountPath}` });
    } else if (plan.worker === null) {
      // Fuse-only (ThinRuntime): ready while its FUSE client's mount is up.
      const fds = this.ctx.informers.daemonSets.get(`${ns}/${fuseName(this.engine.kind, name)}`);
      conds.push((fds?.status?.numberReady ?? 0) >= 1
        ? { type: 'Ready', status: 'True', reason: 'RuntimeReady', message: `${this.engine.kind} ${name} is set up; the dataset is mounted at ${plan.mountPath}` }
        : { type: 'Ready', status: 'False', reason: 'FuseNotReady', message: `the FUSE client of ${name} is not mounted (see the FuseReady condition)` });
    }
    await this.writeStatus(rt, plan, conds);
    return { requeueAfterMs: SYNC_MS };
  }

  // ---------------------------------------------------------------- deletion

  private async teardown(rt: Obj): Promise<ReconcileResult> {
    const ns = rt.metadata.namespace ?? 'default';
    const name = rt.metadata.name;
    const c = this.ctx.client;
    // management.cleanCachePolicy: free the cache through the workers before they go (shutdown-clean.ts).
    const cleaning = await this.cleanCacheBeforeShutdown(rt);
    if (cleaning) return cleaning;
    // A teardown request on every pod first, then the deletes: the node agent of each pod's node
    // frees what the pod kept on that host (cache tier dirs, the FUSE mount point) when it stops a
    // pod that carries the request, and only then lets the pod go. A pod without it (a restart, a
    // rolling update) keeps its cache.
    const pods = (await c.list<Pod>(R.pod, ns, { labelSelector: `release=${name},app=fluid-ts` })).items;
    let requested = true;
    for (const p of pods) {
      if (p.metadata.annotations?.[TEARDOWN_ANNOTATION] === 'true') continue;
      requested = false;
      await c.patch(R.pod, ns, p.metadata.name, { metadata: { annotations: { [TEARDOWN_ANNOTATION]: 'true' } } }).catch((err: unknown) => {
        if (!(err instanceof KubeApiError && err.status === 404)) throw err;
      });
    }
    if (!requested) return { requeueAfterMs: 200 };
    await c.delete(R.daemonSet, ns, fuseName(this.engine.kind, name));
    await c.delete(R.statefulSet, ns, workerName(this.engine.kind, name));
    await c.delete(R.statefulSet, ns, masterName(this.engine.kind, name));
    // Wait for every pod of the runtime to be gone: the node agent stops the processes, unmounts
    // the FUSE mount and frees the pod's cache before it lets a pod go.
    for (const p of pods) if (!p.metadata.deletionTimestamp) await c.delete(R.pod, ns, p.metadata.name);
    if (pods.length > 0) return { requeueAfterMs: 1_000 };
    await c.delete(R.pvc, ns, name);
    await c.delete(R.pv, undefined, pvName(ns, name));
    await this.labelNode({ [fuseNodeLabel(ns, name)]: null, [cacheNodeLabel(ns, name)]: null });
    await c.delete(R.configMap, ns, configMapName(name));
    await c.delete(R.secret, ns, engineTokenSecretName(name));
    const dataset = this.ctx.informers.datasets.get(`${ns}/${name}`);
    if (dataset && rec(dataset.status)?.['phase'] === 'Bound' && arr(rec(dataset.status)?.['runtimes']).map(rec).some((r) => r?.['type'] === this.typeName)) {
      await c.patch(R.dataset, ns, name, {
        status: { phase: 'NotBound', runtimes: [], ufsTotal: null, cacheStates: null, mountPoints: null, conditions: setCondition(arr(rec(dataset.status)?.['conditions']) as Condition[], { type: 'Ready', status: 'False', reason: 'RuntimeDeleted', message: `${this.engine.kind} ${name} was deleted` }) },
      }, { status: true });
    }
    await c.patch(this.resource, ns, name, {
      metadata: { finalizers: (rt.metadata.finalizers ?? []).filter((f) => f !== RUNTIME_FINALIZER), resourceVersion: rt.metadata.resourceVersion },
    });
    this.ctx.log(`${this.engine.kind} ${ns}/${name}: torn down`);
    return undefined;
  }

  /** One attempt of the shutdown cache clean, if one is due; the attempt's outcome is kept in an annotation. */
  private async cleanCacheBeforeShutdown(rt: Obj): Promise<ReconcileResult | undefined> {
    const replicas = Math.max(1, Number(rec(rec(rt.spec)?.['master'])?.['replicas'] ?? 1) || 1);
    const addrs = this.engine.kind === 'ThinRuntime' ? [] : this.masterAddrs(rt, replicas);
    const d = decideShutdownClean(cleanCachePolicyOf(rec(rec(rt.spec)?.['management'])), rt.metadata.annotations?.[CLEAN_CACHE_ANNOTATION], addrs.length > 0);
    if (d.action === 'skip') return undefined;
    const ref = { ...rt, apiVersion: 'data.fluid.io/v1alpha1', kind: this.engine.kind };
    let state: string;
    try {
      const master = await this.masterClient(rt, addrs, { failoverTimeoutMs: Math.min(d.timeoutMs, 15_000) });
      const r = await withTimeout(cleanPath(master, '/'), d.timeoutMs, `cleanCachePolicy.gracePeriodSeconds (${d.timeoutMs / 1000} s) passed`);
      if (r.failed.length > 0) throw new Error(`worker ${r.failed[0]?.worker ?? ''}: ${r.failed[0]?.reason ?? ''}`);
      state = 'done';
      await this.events.record(ref, 'Normal', 'CacheCleaned', `freed ${r.freedBlocks} block(s), ${formatBytes(r.bytesFreed)} on ${r.workers} worker(s) before shutdown`);
    } catch (err) {
      state = d.last ? 'done' : `failed:${d.attempt}`;
      await this.events.record(ref, 'Warning', 'CleanCacheFailed', `attempt ${d.attempt}: ${err instanceof Error ? err.message : String(err)}${d.last ? '; giving up (cleanCachePolicy.maxRetryAttempts), shutting down' : '; will retry'}`);
    }
    await this.ctx.client.patch(this.resource, rt.metadata.namespace, rt.metadata.name, { metadata: { annotations: { [CLEAN_CACHE_ANNOTATION]: state } } });
    return { requeueAfterMs: state === 'done' ? 0 : 1_000 };
  }

  // ---------------------------------------------------------------- helpers

  /** A client of the runtime's masters presenting the runtime's engine credential. */
  private async masterClient(rt: Obj, addrs: string[], opts: Omit<MasterClientOptions, 'credential'>): Promise<MasterClient> {
    const credential = await requireEngineCredential(this.ctx.client, rt.metadata.namespace ?? 'default', rt.metadata.name);
    return new MasterClient(addrs, { ...opts, credential });
  }

  /** The runtime's master endpoints from the API: each master pod's hostIP and its allocated port. */
  private masterAddrs(rt: Obj, replicas: number): string[] {
    const pods = this.podsOf(rt.metadata.namespace ?? 'default');
    return masterEndpoints(parsePorts(rt.metadata.annotations?.[PORTS_ANNOTATION]), masterName(this.engine.kind, rt.metadata.name), replicas, pods, this.ctx.informers.nodes.list() as AddressedNode[]);
  }

  /** ufsTotal and cacheStates from the master's stats (UFS prepared: the total is known). */
  private async cacheStatus(rt: Obj, plan: EnginePlan): Promise<Record<string, unknown>> {
    const addrs = this.masterAddrs(rt, plan.master?.replicas ?? 0);
    try {
      const stats = await (await this.masterClient(rt, addrs, { failoverTimeoutMs: 3_000, attemptTimeoutMs: 10_000 })).stats();
      const capacity = cacheCapacity(stats.cacheCapacityBytes, plan.cacheCapacityBytes);
      return { ufsTotal: formatBytes(stats.ufsTotalBytes), fileNum: String(stats.fileCount), cacheStates: cacheStates(stats.cachedBytes, capacity, stats.ufsTotalBytes) };
    } catch {
      // The periodic sync fills these in; until then nothing is known to be cached.
      return { cacheStates: { ...cacheStates(0, plan.cacheCapacityBytes, 1), cachedPercentage: '0.0%' } };
    }
  }

  /** ufsTotal, fileNum and cacheStates from the runtime's pods (EnginePlan.podStats); undefined when none answers. */
  private async podStatus(rt: Obj, plan: EnginePlan): Promise<Record<string, unknown> | undefined> {
    const ns = rt.metadata.namespace ?? 'default';
    const pods = this.ctx.informers.pods.list().filter((p) => p.metadata.namespace === ns && p.metadata.labels?.['release'] === rt.metadata.name);
    // Each pod's port is the one its config file names (a worker's own key, else the FUSE's).
    const portOf = (p: Pod): number | undefined => {
      try {
        const port = (JSON.parse(plan.configs[configKey(p.metadata.name)] ?? plan.configs[FUSE_CONFIG_KEY] ?? '{}') as { port?: unknown }).port;
        return typeof port === 'number' ? port : undefined;
      } catch {
        return undefined;
      }
    };
    const st = juicefsDatasetStatus(await fetchPodStats(pods, portOf), plan.cacheCapacityBytes);
    return st ? { ufsTotal: formatBytes(st.ufsTotalBytes), fileNum: String(st.fileCount), cacheStates: st.cacheStates } : undefined;
  }

  /** Ready=False while waiting for a component group, carrying its pods' own not-ready causes. */
  private waitingCondition(rt: Obj, step: SetupStep): Condition {
    const roles: ('master' | 'worker' | 'fuse')[] = step === 'checkMasterReady' ? ['master'] : step === 'checkWorkersReady' ? ['worker', 'fuse'] : [];
    const causes = roles.flatMap((r) => this.causes(rt, r));
    // A cause naming the under storage is the root cause of the others: it goes first.
    const first = causes.find((c) => c.reason === 'UFSUnreachable') ?? causes.find((c) => c.reason !== 'NotReady') ?? causes[0];
    const why = causes.map((c) => `${c.pod}: ${c.message}`);
    return {
      type: 'Ready', status: 'False', reason: first && first.reason !== 'NotReady' ? first.reason : reasonOf(step),
      message: why.length > 0 ? `waiting at step ${step}: ${why.join('; ')}` : `setting up: waiting at step ${step}`,
    };
  }

  private async notReady(rt: Obj, reason: string, message: string): Promise<void> {
    await this.patchConditions(rt, [{ type: 'Ready', status: 'False', reason, message }], {
      masterPhase: 'NotReady', workerPhase: 'NotReady', fusePhase: 'NotReady', masterReason: reason,
    });
  }

  private async writeStatus(rt: Obj, plan: EnginePlan, conds: Condition[]): Promise<void> {
    const extra: Condition[] = plan.unsupported.length > 0
      ? [{ type: 'UnsupportedSettings', status: 'True', reason: 'Ignored', message: `fluid-ts does not honour these settings: ${plan.unsupported.join(', ')}` }]
      : [];
    await this.patchConditions(rt, [...conds, ...extra], { ...this.counts(rt, plan), valueFile: configMapName(rt.metadata.name) });
  }

  /** Merges conditions (by type) and status fields; writes only when something changed. */
  private async patchConditions(rt: Obj, conds: Condition[], fields: Record<string, unknown> = {}): Promise<void> {
    const before = arr(rt.status?.['conditions']) as Condition[];
    let conditions = before;
    for (const c of conds) conditions = setCondition(conditions, c);
    const want = { ...fields, conditions };
    if (sameJson(pickKeys(rt.status, want), want)) return;
    const updated = await this.ctx.client.patch<Obj>(this.resource, rt.metadata.namespace, rt.metadata.name, { status: want }, { status: true });
    rt.status = updated.status;
    rt.metadata.resourceVersion = updated.metadata.resourceVersion;
    await this.recordReadyChange(rt, before.find((c) => c.type === 'Ready'), conditions.find((c) => c.type === 'Ready'));
  }

  /**
   * An Event per change of the Ready condition: Warning with the failure's reason and message
   * (the cause: UFSUnreachable, CrashLoopBackOff, SecretNotFound, ...), Normal when it turns
   * Ready. Plain progress (SettingUp, MasterNotReady, WorkersNotReady) is not an event.
   */
  private async recordReadyChange(rt: Obj, old: Condition | undefined, cur: Condition | undefined): Promise<void> {
    if (!cur || (old && old.status === cur.status && old.reason === cur.reason && old.message === cur.message)) return;
    if (cur.status === 'True') {
      if (old?.status !== 'True') await this.events.record(rt, 'Normal', cur.reason ?? 'RuntimeReady', cur.message ?? '');
      return;
    }
    if (['SettingUp', 'MasterNotReady', 'WorkersNotReady'].includes(cur.reason ?? '')) return;
    await this.events.record(rt, 'Warning', cur.reason ?? 'NotReady', cur.message ?? '');
  }

  /** apply() with a Normal event when a component workload is created or its spec changed. */
  private async applyRecorded<T extends KubeObject>(rt: Obj, res: ResourceType, obj: T, what: 'master' | 'workers' | 'fuse'): Promise<void> {
    const r = await this.apply(res, obj);
    if (r === 'unchanged') return;
    await this.events.record(rt, 'Normal', r === 'created' ? 'Created' : 'Updated', `${r === 'created' ? 'created' : 'updated'} ${what} ${obj.kind} ${obj.metadata.name}`);
  }

  /** Creates the object, or replaces its spec/data when it differs. */
  private async apply<T extends KubeObject>(res: ResourceType, obj: T): Promise<'created' | 'updated' | 'unchanged'> {
    const c = this.ctx.client;
    const existing = await c.get<T>(res, obj.metadata.namespace, obj.metadata.name);
    if (!existing) {
      try {
        await c.create(res, obj);
      } catch (err) {
        if (!(err instanceof KubeApiError && err.status === 409)) throw err;
        return 'unchanged';
      }
      return 'created';
    }
    const body = { ...obj, metadata: { ...existing.metadata, labels: obj.metadata.labels, annotations: { ...(existing.metadata.annotations ?? {}), ...(obj.metadata.annotations ?? {}) }, ownerReferences: obj.metadata.ownerReferences ?? existing.metadata.ownerReferences } };
    if (existing.metadata.deletionTimestamp) throw new KubeApiError(409, 'Terminating', `${obj.kind} ${obj.metadata.name} is being deleted`);
    // The server defaults spec fields and sorts map keys: "unchanged" means it holds what we set.
    const e = existing as Record<string, unknown>;
    const o = obj as Record<string, unknown>;
    if (coversDesired(o['spec'], e['spec']) && sameJson(e['data'] ?? {}, o['data'] ?? {}) && sameJson(existing.metadata.annotations ?? {}, body.metadata.annotations ?? {})) return 'unchanged';
    await c.replace(res, { ...body, status: existing.status } as T);
    return 'updated';
  }

  private async labelNode(labels: Record<string, string | null>): Promise<void> {
    const node = this.ctx.informers.nodes.get(this.ctx.nodeName);
    if (!node) throw new KubeApiError(404, 'NotFound', `node ${this.ctx.nodeName} is not registered yet (the node agent registers it)`);
    const cur = node.metadata.labels ?? {};
    if (Object.entries(labels).every(([k, v]) => (v === null ? !(k in cur) : cur[k] === v))) return;
    await this.ctx.client.patch(R.node, undefined, this.ctx.nodeName, { metadata: { labels } });
  }

  private async missingSecret(ns: string, plan: EnginePlan): Promise<string | undefined> {
    for (const ref of plan.secretRefs) {
      const secret = await this.ctx.client.get<KubeObject & { data?: Record<string, string> }>(R.secret, ns, ref.secret);
      if (!secret) return `Secret "${ref.secret}" referenced by dataset ${ref.field} was not found in namespace "${ns}"`;
      if (secret.data?.[ref.key] === undefined) return `Secret "${ref.secret}" has no key "${ref.key}" (referenced by dataset ${ref.field})`;
    }
    return undefined;
  }

  /**
   * `n` ports of the cluster-wide range not promised to any runtime (the record is each runtime's
   * fluid.io/ports annotation). With `checkLocalPorts` (embedded mode only: one node, and it is this
   * process's host) a port something else already listens on is skipped as well.
   */
  private async freshPorts(n: number): Promise<number[]> {
    const taken = new Set<number>();
    for (const inf of this.allRuntimes()) {
      for (const o of inf.list()) {
        const p = parsePorts(o.metadata.annotations?.[PORTS_ANNOTATION]);
        if (p) portsOf(p).forEach((x) => taken.add(x));
      }
    }
    const range = this.ctx.portRange;
    for (;;) {
      const picked = allocatePorts(range, taken, n, Math.floor(Math.random() * (range.max - range.min + 1)));
      if (!this.ctx.checkLocalPorts) return picked;
      const busy = (await Promise.all(picked.map(async (p) => ((await loopbackPortFree(p)) ? undefined : p)))).filter((p): p is number => p !== undefined);
      if (busy.length === 0) return picked;
      busy.forEach((p) => taken.add(p));
    }
  }

  private podsOf(ns: string): Pod[] {
    return this.ctx.informers.pods.list().filter((p) => p.metadata.namespace === ns);
  }
}

/**
 * The cache capacity to report: what the master's registered workers offer, never more than the
 * spec's workers can hold (after a scale-in the removed workers' space is gone at once, even
 * while the master still counts their registration), and the spec's when the master knows none.
 */
function cacheCapacity(registeredBytes: number, plannedBytes: number): number {
  return registeredBytes > 0 ? Math.min(registeredBytes, plannedBytes) : plannedBytes;
}

function reasonOf(step: SetupStep): string {
  return step === 'checkMasterReady' ? 'MasterNotReady' : step === 'checkWorkersReady' ? 'WorkersNotReady' : 'SettingUp';
}

function pickKeys(actual: unknown, wanted: Record<string, unknown>): Record<string, unknown> {
  const a = rec(actual) ?? {};
  return Object.fromEntries(Object.keys(wanted).map((k) => [k, a[k]]));
}

function hashOf(plan: EnginePlan): string {
  return createHash('sha256').update(JSON.stringify([plan.configs, plan.master, plan.worker, plan.fuse])).digest('hex').slice(0, 12);
}


export { splitKey };

/** `p`, or a rejection with `message` after `ms` (the work itself is abandoned, not cancelled). */
function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Dataset spec.dataRestoreLocation, for the plan. */
function restoreLocation(dataset: KubeObject): { dataRestoreLocation?: { path?: string; nodeName?: string } } {
  const r = rec(rec(dataset.spec)?.['dataRestoreLocation']);
  if (!r) return {};
  return { dataRestoreLocation: { ...(str(r['path']) !== undefined ? { path: str(r['path']) as string } : {}), ...(str(r['nodeName']) ? { nodeName: str(r['nodeName']) as string } : {}) } };
}

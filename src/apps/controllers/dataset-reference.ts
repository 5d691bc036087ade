// Datasets whose only mount is `dataset://<namespace>/<name>` (a reference): they share the physical
// dataset's runtime, cache and FUSE mount instead of running one of their own. While the physical
// dataset is Bound, the reference is Bound to the same runtime (status.runtimes names it), mirrors its
// ufsTotal / cacheStates / fileNum / mountPoints, and gets its own PV `<ns>-<name>` (the physical
// mount's fluid_path) and PVC `<name>` in its namespace, so pods there read through the shared cache.
// The physical dataset lists its users in status.datasetRef ("<ns>/<name>"); while it does, the API
// server refuses to delete it (datasetKind.validateDelete). Deleting a reference removes its entry,
// its PV and PVC. Fluid creates a ThinRuntime for a reference; fluid-ts binds it directly (there is
// no process to run: the physical runtime's FUSE mount is the data path).
import type { ResourceType } from '../../adapters/kube/kube-client.js';
import { R } from '../../adapters/kube/resources.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { parseDatasetReference } from '../../api/kinds/mount-schemes.js';
import { arr, rec, str } from '../../core/reconcile/spec-view.js';
import type { Condition, KubeObject } from '../../core/workloads/kube-object.js';
import { FINALIZER, pvName } from '../../core/workloads/names.js';
import { persistentVolume, persistentVolumeClaim } from '../../core/workloads/templates.js';
import { setCondition } from './conditions.js';
import type { ControllerContext } from './controller-context.js';
import type { ReconcileResult } from './internal/work-queue.js';

type PvObj = KubeObject & { spec?: { csi?: { volumeAttributes?: Record<string, string> } } };

/** The physical dataset a Dataset refers to, if its only mount is a dataset:// reference. */
export function referenceOf(ds: KubeObject): { namespace: string; name: string } | undefined {
  const mounts = arr(rec(ds.spec)?.['mounts']);
  if (mounts.length !== 1) return undefined;
  return parseDatasetReference(str(rec(mounts[0])?.['mountPoint']) ?? '');
}

export async function reconcileReference(ctx: ControllerContext, ds: KubeObject, target: { namespace: string; name: string }): Promise<ReconcileResult> {
  const ns = ds.metadata.namespace ?? 'default';
  const name = ds.metadata.name;
  const self = `${ns}/${name}`;
  const c = ctx.client;
  if (ds.metadata.deletionTimestamp) {
    await setUsers(ctx, target, (users) => users.filter((u) => u !== self));
    await c.delete(R.pvc, ns, name);
    await c.delete(R.pv, undefined, pvName(ns, name));
    if ((ds.metadata.finalizers ?? []).includes(FINALIZER)) {
      await c.patch(R.dataset, ns, name, { metadata: { finalizers: (ds.metadata.finalizers ?? []).filter((f) => f !== FINALIZER), resourceVersion: ds.metadata.resourceVersion } });
    }
    return undefined;
  }
  if (!(ds.metadata.finalizers ?? []).includes(FINALIZER)) {
    await c.patch(R.dataset, ns, name, { metadata: { finalizers: [...(ds.metadata.finalizers ?? []), FINALIZER], resourceVersion: ds.metadata.resourceVersion } });
    return undefined;
  }
  const status = rec(ds.status) ?? {};
  const conditions = arr(status['conditions']) as Condition[];
  const physical = ctx.informers.datasets.get(`${target.namespace}/${target.name}`);
  const pStatus = rec(physical?.status) ?? {};
  const physicalPv = physical ? await c.get<PvObj>(R.pv, undefined, pvName(target.namespace, target.name)) : undefined;
  const fluidPath = physicalPv?.spec?.csi?.volumeAttributes?.['fluid_path'];
  if (!physical || physical.metadata.deletionTimestamp || pStatus['phase'] !== 'Bound' || !fluidPath) {
    const why = !physical ? 'does not exist' : physical.metadata.deletionTimestamp ? 'is being deleted' : 'is not bound to a runtime yet';
    const message = `dataset://${target.namespace}/${target.name} (spec.mounts[0].mountPoint): the physical dataset ${why}`;
    if (status['phase'] !== 'NotBound' || !conditions.some((x) => x.message === message)) {
      await c.patch(R.dataset, ns, name, {
        status: { phase: 'NotBound', runtimes: [], ufsTotal: null, cacheStates: null, mountPoints: null, conditions: setCondition(conditions, { type: 'Ready', status: 'False', reason: 'ReferenceNotReady', message }) },
      }, { status: true });
    }
    return { requeueAfterMs: 2_000 };
  }
  await setUsers(ctx, target, (users) => (users.includes(self) ? users : [...users, self].sort()));
  const ref = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', uid: ds.metadata.uid ?? '', name, namespace: ns };
  const rt = arr(pStatus['runtimes']).map(rec)[0] ?? {};
  const readOnly = true;
  await createIfMissing(ctx, R.pv, { ...persistentVolume(ref, fluidPath, physicalPv.spec?.csi?.volumeAttributes?.['mount_type'] ?? 'fuse.fluid', readOnly) });
  await createIfMissing(ctx, R.pvc, persistentVolumeClaim(ref, readOnly));
  const want = {
    phase: 'Bound',
    runtimes: [{ name: str(rt['name']) ?? target.name, namespace: str(rt['namespace']) ?? target.namespace, category: 'Accelerate', type: str(rt['type']) ?? '', masterReplicas: rt['masterReplicas'] ?? 0 }],
    ufsTotal: pStatus['ufsTotal'] ?? null, cacheStates: pStatus['cacheStates'] ?? null, fileNum: pStatus['fileNum'] ?? null, mountPoints: pStatus['mountPoints'] ?? null,
    mounts: arr(rec(ds.spec)?.['mounts']),
  };
  const differs = Object.entries(want).some(([k, v]) => JSON.stringify(status[k] ?? null) !== JSON.stringify(v));
  const message = `shares the cache of dataset ${target.namespace}/${target.name} (dataset:// reference)`;
  if (differs || !conditions.some((x) => x.type === 'Ready' && x.status === 'True' && x.message === message)) {
    await c.patch(R.dataset, ns, name, { status: { ...want, conditions: setCondition(conditions, { type: 'Ready', status: 'True', reason: 'DatasetReady', message }) } }, { status: true });
  }
  // The mirrored cache states follow the physical dataset's 5 s sync.
  return { requeueAfterMs: 5_000 };
}

/** Read-modify-write of the physical dataset's status.datasetRef, guarded by its resourceVersion. */
async function setUsers(ctx: ControllerContext, target: { namespace: string; name: string }, change: (users: string[]) => string[]): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const p = await ctx.client.get<KubeObject>(R.dataset, target.namespace, target.name);
    if (!p) return;
    const users = arr(rec(p.status)?.['datasetRef']).filter((u): u is string => typeof u === 'string');
    const next = change(users);
    if (JSON.stringify(next) === JSON.stringify(users)) return;
    try {
      await ctx.client.patch(R.dataset, target.namespace, target.name, { metadata: { resourceVersion: p.metadata.resourceVersion }, status: { datasetRef: next.length > 0 ? next : null } }, { status: true });
      return;
    } catch (err) {
      if (!(err instanceof KubeApiError && err.isConflict())) throw err;
    }
  }
}

async function createIfMissing(ctx: ControllerContext, rt: ResourceType, obj: KubeObject): Promise<void> {
  try {
    await ctx.client.create(rt, obj);
  } catch (err) {
    if (!(err instanceof KubeApiError && err.isAlreadyExists())) throw err;
  }
}

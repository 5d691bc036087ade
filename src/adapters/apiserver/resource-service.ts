// The API semantics behind the HTTP verbs: create / get / list / update / status / patch /
// delete, with admission, optimistic concurrency, finalizers, namespace lifecycle and
// ownerReference orphaning. Each mutation is one synchronous store call, so no request can
// interleave with another between its read and its write.
import type { KindDefinition } from '../../api/kind.js';
import { matchesFields, type FieldSelector } from '../../core/patch/field-selector.js';
import { applyJsonPatch } from '../../core/patch/json-patch.js';
import { depthExceeds, type JsonValue } from '../../core/patch/json-value.js';
import { matchesLabels, type LabelSelector } from '../../core/patch/label-selector.js';
import { applyMergePatch } from '../../core/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../core/patch/strategic-merge-patch.js';
import {
  StoreConflictError, StoreExistsError, StoreNotFoundError, StoreTooOldError,
  type KubeObject, type ObjectKey, type ObjectStore,
} from '../store/object-store.js';
import type { KindRegistry } from './kind-registry.js';
import type { FieldValidation, KindsPort } from './kinds-port.js';
import {
  checkTypeMeta, finalizersOf, generateSuffix, kubeTime, newUid, ownerRefsOf, sameObject, specChanged, validateName,
} from './object-meta.js';
import { OPENAPI_BUILTIN_GROUPS } from './builtin-groups.js';
import { MAX_BODY_DEPTH, tooDeep } from './request-body.js';
import { compareKeys, continueTooOld, decodeContinue, encodeContinue, itemKey } from './list-pages.js';
import { cacheAffinity, datasetOfClaim, podClaimNames, type DatasetRef } from '../../core/admission/cache-affinity.js';
import {
  ApiError, alreadyExists, badRequest, conflict, invalid, notFound, strictDecoding, strictPatch,
} from './status-errors.js';

/** Per-request inputs; `warnings` collects HTTP Warning texts. */
export interface RequestContext {
  readonly now: Date;
  readonly fieldValidation: FieldValidation;
  readonly dryRun: boolean;
  readonly warnings: string[];
  /**
   * What strict decoding found in the request body itself, worded as kube words it
   * (`duplicate field "data.a"`, `json patch unknown field "[0].foo"`): with Strict these fail
   * the request (with the unknown fields), with Warn they become warnings, with Ignore nothing.
   */
  readonly decodeIssues?: readonly string[];
  /** The same findings as Warning texts (they differ for YAML bodies, as in kube); default decodeIssues. */
  readonly decodeWarnings?: readonly string[];
}

export type PatchType = 'json' | 'merge' | 'strategic';

export interface ListPage {
  /** At most this many items (undefined: all). */
  readonly limit?: number;
  /** The token of the previous page. */
  readonly continue?: string;
}

export interface ListResult {
  readonly items: KubeObject[];
  /** The snapshot the items come from. */
  readonly resourceVersion: string;
  /** Set when more items follow. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Largest stored object, serialized: objects of 3 MB or more are refused (kube's etcd would refuse them too). */
export const MAX_OBJECT_BYTES = 3_000_000;

function checkSize(def: KindDefinition, name: string, obj: KubeObject): void {
  const size = Buffer.byteLength(JSON.stringify(obj));
  if (size >= MAX_OBJECT_BYTES) {
    throw new ApiError(413, 'RequestEntityTooLarge',
      `${def.kind} "${name}" is too large: ${size} bytes serialized; objects must be smaller than ${MAX_OBJECT_BYTES} bytes (3 MB)`,
      { name, group: def.group, kind: def.kind });
  }
}
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const NAMESPACES: Pick<KindDefinition, 'group' | 'plural'> = { group: '', plural: 'namespaces' };

function isSecret(def: KindDefinition): boolean {
  return def.group === '' && def.kind === 'Secret';
}

export class ResourceService {
  constructor(
    private readonly store: ObjectStore,
    private readonly kinds: KindsPort,
    readonly registry: KindRegistry,
  ) {}

  key(def: KindDefinition, namespace: string | undefined, name: string): ObjectKey {
    return { group: def.group, resource: def.plural, namespace: def.namespaced ? (namespace ?? '') : '', name };
  }

  get(def: KindDefinition, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(this.key(def, namespace, name));
    if (!obj) throw notFound(def, name);
    return obj;
  }

  /**
   * A list, or one page of it (`page.limit` items at most, after `page.continue`). Pages of one
   * list come from the snapshot of the first page; a snapshot that can no longer be rebuilt
   * answers 410 Expired.
   */
  list(def: KindDefinition, namespace: string | undefined, labels: LabelSelector, fields: FieldSelector, page: ListPage = {}): ListResult {
    const ns = def.namespaced ? namespace : undefined;
    const from = page.continue !== undefined ? decodeContinue(page.continue) : undefined;
    let rv = this.store.currentRv();
    let all: KubeObject[];
    if (from) {
      if (from.rv > rv) throw badRequest(`continue key is not valid: resourceVersion ${from.rv} is newer than the server's ${rv}`);
      try {
        all = this.store.listAt(def.group, def.plural, ns, from.rv);
      } catch (err) {
        if (err instanceof StoreTooOldError) throw continueTooOld();
        throw err;
      }
      rv = from.rv;
    } else {
      all = this.store.list(def.group, def.plural, ns);
    }
    const matching = all
      .filter((o) => (from === undefined || compareKeys(itemKey(o), from.start) > 0)
        && matchesLabels(labels, o.metadata.labels as Record<string, string> | undefined) && matchesFields(fields, o))
      .sort((a, b) => compareKeys(itemKey(a), itemKey(b)));
    const resourceVersion = String(rv);
    if (page.limit === undefined || matching.length <= page.limit) return { items: matching, resourceVersion };
    const items = matching.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items, resourceVersion,
      ...(last ? { continue: encodeContinue({ rv, start: itemKey(last) }) } : {}),
      // Only an unfiltered count is exact without reading on (kube gives it only without selectors too).
      ...(labels.length === 0 && fields.length === 0 ? { remainingItemCount: matching.length - items.length } : {}),
    };
  }

  /**
   * Runs admission; unknown fields under Strict are a 400 (kube's strict decoding error), or a 422 against
   * `patchedValue` for a patch, as kube-apiserver's patcher answers; other errors a 422.
   */
  private admit(def: KindDefinition, obj: KubeObject, name: string, ctx: RequestContext, patchedValue?: string): KubeObject {
    const r = this.kinds.admit(def, obj, { fieldValidation: ctx.fieldValidation });
    const issues = ctx.decodeIssues ?? [];
    if (ctx.fieldValidation === 'Warn') ctx.warnings.push(...(ctx.decodeWarnings ?? issues));
    ctx.warnings.push(...r.warnings);
    if (ctx.fieldValidation === 'Strict') {
      const unknown = r.ok ? [] : r.errors.filter((e) => e.type === 'FieldValueUnknown').map((e) => `unknown field "${e.path}"`);
      if (issues.length > 0 || unknown.length > 0) {
        throw patchedValue === undefined ? strictDecoding(def, [...issues, ...unknown]) : strictPatch(patchedValue, [...issues, ...unknown]);
      }
    }
    if (!r.ok) throw invalid(def, name, r.errors, isSecret(def));
    const out = r.object as KubeObject;
    if (typeof out !== 'object' || out === null || typeof out.metadata !== 'object') {
      throw new ApiError(500, 'InternalError', `admission of ${def.kind} "${name}" returned no object`);
    }
    return out;
  }

  /**
   * Mutating admission of a pod, as `fluid webhook` mutates it on a real cluster
   * (core/admission/cache-affinity.ts): a pod that uses a dataset's PVC in a namespace labelled
   * fluid.io/enable-injection=true gets its cache-node affinity. Runs before validation, on create.
   */
  private cacheAffinity(pod: KubeObject, namespace: string): void {
    const ns = this.store.get({ group: '', resource: 'namespaces', namespace: '', name: namespace });
    const datasets = new Map<string, DatasetRef>();
    for (const claim of podClaimNames(pod)) {
      const d = datasetOfClaim(this.store.get({ group: '', resource: 'persistentvolumeclaims', namespace, name: claim }));
      if (d) datasets.set(claim, d);
    }
    const r = cacheAffinity(pod, ns?.metadata.labels as Record<string, string> | undefined, datasets);
    if (r.changed) pod.spec = { ...(pod.spec as Record<string, unknown>), affinity: r.affinity };
  }

  private requireNamespace(namespace: string, forCreate: boolean): void {
    const ns = this.store.get({ group: '', resource: 'namespaces', namespace: '', name: namespace });
    if (!ns) throw notFound(NAMESPACES, namespace);
    if (forCreate && typeof ns.metadata.deletionTimestamp === 'string') {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`,
        { name: namespace, kind: 'namespaces' });
    }
  }

  create(def: KindDefinition, namespace: string | undefined, body: unknown, ctx: RequestContext): KubeObject {
    const obj = checkTypeMeta(def, body);
    const meta = obj.metadata;
    if (def.namespaced) {
      const ns = namespace ?? (typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default');
      if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = ns;
      this.requireNamespace(ns, true);
    } else {
      delete meta.namespace;
    }
    let name = typeof meta.name === 'string' ? meta.name : '';
    const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
    if (name === '' && generateName === '') {
      throw invalid(def, '', [{ path: 'metadata.name', type: 'FieldValueRequired', message: 'name or generateName is required' }], false);
    }
    for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields', 'selfLink']) delete meta[k];
    if (def.statusSubresource) delete obj.status;
    if (def.group === '' && def.kind === 'Namespace') obj.status = { phase: 'Active' };
    if (def.group === '' && def.kind === 'Pod' && typeof meta.namespace === 'string') this.cacheAffinity(obj, meta.namespace);
    for (let attempt = 0; ; attempt++) {
      if (generateName !== '' && (name === '' || attempt > 0)) name = `${generateName}${generateSuffix()}`;
      const candidate: KubeObject = {
        ...obj,
        metadata: { ...meta, name, uid: newUid(), creationTimestamp: kubeTime(ctx.now), generation: 1 },
      };
      const nameErrors = validateName(def, name);
      if (nameErrors.length > 0) throw invalid(def, name, nameErrors, false);
      const admitted = this.admit(def, candidate, name, ctx);
      checkSize(def, name, admitted);
      if (ctx.dryRun) {
        if (this.store.get(this.key(def, namespace ?? (meta.namespace as string | undefined), name))) throw alreadyExists(def, name);
        return admitted;
      }
      try {
        return this.store.create(this.key(def, meta.namespace as string | undefined, name), admitted);
      } catch (err) {
        if (err instanceof StoreExistsError) {
          if (generateName !== '' && typeof obj.metadata.name !== 'string' && attempt < 8) continue;
          throw alreadyExists(def, name);
        }
        throw err;
      }
    }
  }

  /** PUT on the object (or its /status when `statusOnly`). */
  update(def: KindDefinition, namespace: string | undefined, name: string, body: unknown, ctx: RequestContext, statusOnly: boolean): KubeObject {
    const existing = this.get(def, namespace, name);
    const obj = checkTypeMeta(def, body);
    if (typeof obj.metadata.name === 'string' && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && typeof obj.metadata.namespace === 'string' && obj.metadata.namespace !== '' && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const rv = obj.metadata.resourceVersion;
    const expectedRv = typeof rv === 'string' && rv !== '' ? rv : undefined;
    return this.replace(def, existing, obj, expectedRv, ctx, statusOnly);
  }

  patch(def: KindDefinition, namespace: string | undefined, name: string, type: PatchType, patch: unknown, ctx: RequestContext, statusOnly: boolean): KubeObject {
    const existing = this.get(def, namespace, name);
    if (type === 'strategic' && !OPENAPI_BUILTIN_GROUPS.has(def.group)) {
      throw new ApiError(415, 'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json');
    }
    if (type !== 'json' && (typeof patch !== 'object' || patch === null || Array.isArray(patch))) {
      throw badRequest(`the ${type === 'merge' ? 'merge' : 'strategic merge'} patch must be a JSON object`);
    }
    const base = existing as unknown as JsonValue;
    const patched = type === 'json' ? applyJsonPatch(base, patch)
      : type === 'merge' ? applyMergePatch(base, patch as JsonValue)
        : applyStrategicMergePatch(base, patch as JsonValue);
    // The body was bounded; the patched object must be too before anything recursive sees it.
    if (depthExceeds(patched, MAX_BODY_DEPTH)) throw tooDeep('the patched object');
    const obj = checkTypeMeta(def, patched);
    if (obj.metadata.name !== name) throw badRequest(`a patch may not change metadata.name (from ${name})`);
    const rv = obj.metadata.resourceVersion;
    const expectedRv = typeof rv === 'string' && rv !== '' ? rv : undefined;
    // kube reports a patch's strict-validation failure against the patched object (the patch itself for a strategic merge).
    return this.replace(def, existing, obj, expectedRv, ctx, statusOnly, JSON.stringify(type === 'strategic' ? patch : patched));
  }

  /** Shared by PUT and PATCH: carries server-owned fields over, admits, and writes (or finalizes). */
  private replace(def: KindDefinition, existing: KubeObject, obj: KubeObject, expectedRv: string | undefined, ctx: RequestContext, statusOnly: boolean, patchedValue?: string): KubeObject {
    const name = String(existing.metadata.name);
    if (expectedRv !== undefined && expectedRv !== existing.metadata.resourceVersion) throw conflict(def, name);
    let next: KubeObject;
    if (statusOnly) {
      next = { ...existing };
      if (obj.status === undefined) delete next.status;
      else next.status = obj.status;
    } else {
      next = { ...obj };
      if (def.statusSubresource) {
        if (existing.status === undefined) delete next.status;
        else next.status = existing.status;
      }
      const m = { ...obj.metadata };
      for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name', 'generation']) {
        if (existing.metadata[k] === undefined) delete m[k];
        else m[k] = existing.metadata[k];
      }
      next.metadata = m;
    }
    next.metadata = { ...next.metadata, resourceVersion: existing.metadata.resourceVersion };
    const admitted = this.admit(def, next, name, ctx, patchedValue);
    // Judged on the admitted object: a change that pruning or defaulting undoes is no change,
    // and neither generation nor resourceVersion moves.
    if (!statusOnly && specChanged(existing, admitted)) {
      const gen = typeof existing.metadata.generation === 'number' ? existing.metadata.generation : 1;
      admitted.metadata = { ...admitted.metadata, generation: gen + 1 };
    }
    if (sameObject(admitted, existing)) return existing;
    checkSize(def, name, admitted);
    if (ctx.dryRun) return admitted;
    const key = this.key(def, existing.metadata.namespace as string | undefined, name);
    try {
      if (typeof admitted.metadata.deletionTimestamp === 'string' && finalizersOf(admitted).length === 0) {
        return this.store.delete(key, admitted, String(existing.metadata.resourceVersion));
      }
      return this.store.update(key, admitted, String(existing.metadata.resourceVersion));
    } catch (err) {
      if (err instanceof StoreConflictError) throw conflict(def, name);
      if (err instanceof StoreNotFoundError) throw notFound(def, name);
      throw err;
    }
  }

  /**
   * DELETE. Returns the object's last state and whether it is gone (false: it waits on
   * finalizers with deletionTimestamp set).
   */
  delete(def: KindDefinition, namespace: string | undefined, name: string, opts: DeleteOptions, ctx: RequestContext): { object: KubeObject; gone: boolean } {
    const existing = this.get(def, namespace, name);
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== existing.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(existing.metadata.uid)}`, { name, group: def.group, kind: def.plural });
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== existing.metadata.resourceVersion) throw conflict(def, name);
    const isNamespace = def.group === '' && def.kind === 'Namespace';
    if (isNamespace && PROTECTED_NAMESPACES.has(name)) {
      throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    const refusal = def.validateDelete?.(existing);
    if (refusal !== undefined) throw new ApiError(403, 'Forbidden', `${def.plural}.${def.group} "${name}" is forbidden: ${refusal}`, { name, group: def.group, kind: def.plural });
    if (ctx.dryRun) return { object: existing, gone: false };
    const key = this.key(def, namespace, name);
    const uid = String(existing.metadata.uid ?? '');
    const grace = opts.gracePeriodSeconds ?? (def.group === '' && def.kind === 'Pod' ? 30 : 0);
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(uid);
    const finalizers = finalizersOf(existing);
    if (opts.propagationPolicy === 'Foreground' && this.hasDependents(uid) && !finalizers.includes(FOREGROUND_FINALIZER)) {
      finalizers.push(FOREGROUND_FINALIZER);
    }
    const alreadyDeleting = typeof existing.metadata.deletionTimestamp === 'string';
    const marked: KubeObject = {
      ...existing,
      metadata: {
        ...existing.metadata,
        deletionTimestamp: alreadyDeleting ? existing.metadata.deletionTimestamp : kubeTime(ctx.now),
        deletionGracePeriodSeconds: Math.min(grace, typeof existing.metadata.deletionGracePeriodSeconds === 'number' ? existing.metadata.deletionGracePeriodSeconds : grace),
        ...(finalizers.length > 0 ? { finalizers } : {}),
      },
    };
    if (isNamespace) marked.status = { ...(existing.status as Record<string, unknown> | undefined), phase: 'Terminating' };
    if (finalizers.length > 0 || isNamespace) {
      const updated = sameObject(marked, existing) ? existing : this.store.update(key, marked, String(existing.metadata.resourceVersion));
      if (isNamespace) return this.finishNamespace(updated, ctx);
      return { object: updated, gone: false };
    }
    return { object: this.store.delete(key, marked, String(existing.metadata.resourceVersion)), gone: true };
  }

  /**
   * Deletes what is left in a terminating namespace; removes the namespace once it is empty.
   * Called on namespace DELETE and again by the garbage collector until it is empty.
   */
  finishNamespace(ns: KubeObject, ctx: RequestContext): { object: KubeObject; gone: boolean } {
    const name = String(ns.metadata.name);
    for (const { key, object } of this.store.listInNamespace(name)) {
      if (typeof object.metadata.deletionTimestamp === 'string') continue;
      const def = this.registry.findResource(key.group, key.resource);
      if (!def) continue;
      try {
        this.delete(def, key.namespace, key.name, { propagationPolicy: 'Background' }, ctx);
      } catch (err) {
        // Forbidden (validateDelete): the object stays, and so does the terminating namespace, until it may go.
        if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Forbidden'))) throw err;
      }
    }
    if (this.store.listInNamespace(name).length > 0) return { object: ns, gone: false };
    const current = this.store.get({ group: '', resource: 'namespaces', namespace: '', name });
    if (!current) return { object: ns, gone: true };
    return { object: this.store.delete({ group: '', resource: 'namespaces', namespace: '', name }, current), gone: true };
  }

  hasDependents(uid: string): boolean {
    return this.store.listOwned().some(({ object }) => ownerRefsOf(object).some((r) => r.uid === uid));
  }

  /** Removes ownerReferences to `uid` from every dependent (propagationPolicy=Orphan). */
  private orphanDependents(uid: string): void {
    for (const { key, object } of this.store.listOwned()) {
      const refs = ownerRefsOf(object);
      if (!refs.some((r) => r.uid === uid)) continue;
      const rest = (object.metadata.ownerReferences as unknown[]).filter((r) => (r as { uid?: unknown }).uid !== uid);
      const metadata = { ...object.metadata };
      if (rest.length > 0) metadata.ownerReferences = rest;
      else delete metadata.ownerReferences;
      this.store.update(key, { ...object, metadata });
    }
  }

  /** Writes an object as the server itself (bootstrap, GC finalizer removal): no admission, no conflict check. */
  writeInternal(def: KindDefinition, obj: KubeObject): KubeObject {
    const key = this.key(def, obj.metadata.namespace as string | undefined, String(obj.metadata.name));
    const existing = this.store.get(key);
    if (!existing) return this.store.create(key, obj);
    if (sameObject(existing, obj)) return existing;
    if (typeof obj.metadata.deletionTimestamp === 'string' && finalizersOf(obj).length === 0) return this.store.delete(key, obj);
    return this.store.update(key, obj);
  }
}


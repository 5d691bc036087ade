// The persistence port of the API server: a versioned key/value store of Kubernetes objects
// with one global, monotonically increasing resourceVersion and an ordered change log for
// watch. Each mutating call is atomic and durable when it returns.
import { FluidError } from '../../core/errors.js';

/** A stored Kubernetes object (JSON). `metadata.resourceVersion` is set by the store. */
export type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown> };

/** Identity of an object: API group ('' = core), plural resource, namespace ('' = cluster scope), name. */
export interface ObjectKey {
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change; `object` is the state after the change (for DELETED: the last state). */
export interface Change {
  readonly rv: number;
  readonly type: ChangeType;
  readonly key: ObjectKey;
  readonly object: KubeObject;
  /** The state before the change (live notifications only; replayed changes do not carry it). */
  readonly previous?: KubeObject;
}

export class StoreConflictError extends FluidError {
  constructor(message: string) { super('Conflict', message); }
}
export class StoreNotFoundError extends FluidError {
  constructor(message: string) { super('NotFound', message); }
}
export class StoreExistsError extends FluidError {
  constructor(message: string) { super('AlreadyExists', message); }
}
/** A watch asked for changes older than the retained log (HTTP 410 Gone). */
export class StoreTooOldError extends FluidError {
  constructor(message: string) { super('Expired', message); }
}

export interface ObjectStore {
  /** The resourceVersion of the latest committed change (0 for an empty store). */
  currentRv(): number;
  get(key: ObjectKey): KubeObject | undefined;
  /** All objects of a resource, in one namespace or (namespace undefined) in all, ordered by namespace/name. */
  list(group: string, resource: string, namespace?: string): KubeObject[];
  /**
   * The objects of a resource as they were at resourceVersion `rv` (<= currentRv), for paginated
   * lists (one consistent snapshot across pages), in any order. Throws StoreTooOldError when that
   * state can no longer be rebuilt from the retained change log.
   */
  listAt(group: string, resource: string, namespace: string | undefined, rv: number): KubeObject[];
  /** All objects in a namespace across all resources (for namespace deletion). */
  listInNamespace(namespace: string): { key: ObjectKey; object: KubeObject }[];
  /** Objects whose metadata.ownerReferences are non-empty (for garbage collection). */
  listOwned(): { key: ObjectKey; object: KubeObject }[];
  /** Objects that have metadata.deletionTimestamp set (waiting on finalizers). */
  listTerminating(): { key: ObjectKey; object: KubeObject }[];
  /** Number of stored objects per resource (for `fluid status`). */
  countByResource(): { group: string; resource: string; count: number }[];
  /** True if an object with this metadata.uid exists. */
  uidExists(uid: string): boolean;
  /** Inserts; throws StoreExistsError. Returns the object with its new resourceVersion. */
  create(key: ObjectKey, obj: KubeObject): KubeObject;
  /**
   * Replaces; throws StoreNotFoundError, or StoreConflictError when `expectedRv` is given and
   * differs from the stored resourceVersion.
   */
  update(key: ObjectKey, obj: KubeObject, expectedRv?: string): KubeObject;
  /** Removes; `last` is the state reported in the DELETED change. Same errors as update. */
  delete(key: ObjectKey, last: KubeObject, expectedRv?: string): KubeObject;
  /** Changes with rv > `afterRv`, in order; throws StoreTooOldError if some were compacted away. */
  changesSince(afterRv: number): Change[];
  /** Called synchronously after each commit, in commit order. Returns an unsubscribe function. */
  subscribe(listener: (c: Change) => void): () => void;
  close(): void;
}

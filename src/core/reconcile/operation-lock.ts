// Data operation locking and chaining, as in Fluid: Dataset `status.operationRef` maps an operation
// kind to the operation(s) holding the dataset ("name" or "name1,name2"; a holder in another
// namespace than the dataset is written "<namespace>/<name>"). At most one operation of each kind
// runs on a dataset: a second one waits while a live holder runs. A holder that no longer exists
// or has finished (Complete / Failed) does not block, and is pruned when the lock is next taken, so a
// controller crash between finishing and releasing cannot wedge the dataset.
// `spec.runAfter {kind, name, namespace}` makes an operation wait until the named operation is
// Complete (Fluid waits the same way while it is missing, running or Failed, with an event saying which).
// Pure: the caller reads the objects and applies the returned patch.

export type OperationKind = 'DataLoad' | 'DataMigrate' | 'DataBackup' | 'DataProcess' | 'DataClean';
export const operationKinds: readonly OperationKind[] = ['DataLoad', 'DataMigrate', 'DataBackup', 'DataProcess', 'DataClean'];
export type OperationPhase = 'Pending' | 'Executing' | 'Complete' | 'Failed';

/** Dataset status.operationRef: kind -> comma-separated holders. */
export type OperationRefMap = Readonly<Record<string, string>>;

/** The key an operation is recorded under in its dataset's operationRef. */
export function holderKey(opNamespace: string, opName: string, datasetNamespace: string): string {
  return opNamespace === datasetNamespace ? opName : `${opNamespace}/${opName}`;
}

/** Inverse of holderKey: the holder's namespace and name. */
export function parseHolderKey(key: string, datasetNamespace: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: datasetNamespace, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function holdersOf(ref: OperationRefMap | undefined, kind: OperationKind): string[] {
  const v = ref?.[kind];
  return v ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/** A holder is live while it exists and has not finished. `phase` undefined = the object does not exist. */
export function holderBlocks(phase: OperationPhase | undefined | 'Missing'): boolean {
  return phase !== undefined && phase !== 'Missing' && phase !== 'Complete' && phase !== 'Failed';
}

export type LockDecision =
  | { readonly action: 'held' }
  | { readonly action: 'acquire'; readonly value: string }
  | { readonly action: 'wait'; readonly reason: 'OperationLocked'; readonly holder: string; readonly message: string };

/**
 * Whether `self` may take the `kind` lock. `phaseOf(holder)` gives each other holder's phase
 * ('Missing' when it no longer exists). On 'acquire', `value` is the new operationRef[kind]
 * (self, with finished and missing holders pruned).
 */
export function decideLock(ref: OperationRefMap | undefined, kind: OperationKind, self: string, phaseOf: (holder: string) => OperationPhase | 'Missing' | undefined): LockDecision {
  const holders = holdersOf(ref, kind);
  const others = holders.filter((h) => h !== self);
  const live = others.find((h) => holderBlocks(phaseOf(h)));
  if (live !== undefined) {
    return { action: 'wait', reason: 'OperationLocked', holder: live, message: `waiting: ${kind} "${live}" is running on the dataset (status.operationRef); one ${kind} runs at a time` };
  }
  if (holders.length === 1 && holders[0] === self) return { action: 'held' };
  return { action: 'acquire', value: self };
}

/** The operationRef[kind] value after `self` releases it: the other holders, or null (remove the key). */
export function releaseValue(ref: OperationRefMap | undefined, kind: OperationKind, self: string): string | null | undefined {
  const holders = holdersOf(ref, kind);
  if (!holders.includes(self)) return undefined;
  const rest = holders.filter((h) => h !== self);
  return rest.length > 0 ? rest.join(',') : null;
}

export interface RunAfter {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export type RunAfterDecision =
  | { readonly action: 'proceed' }
  | { readonly action: 'wait'; readonly reason: 'DataOperationNotFound' | 'DataOperationWaiting'; readonly message: string }
  | { readonly action: 'invalid'; readonly message: string };

/** runAfter: proceed once the preceding operation is Complete. `phase` 'Missing' = it does not exist. */
export function decideRunAfter(runAfter: RunAfter | undefined, ownNamespace: string, phase: OperationPhase | 'Missing' | undefined): RunAfterDecision {
  if (!runAfter) return { action: 'proceed' };
  if (!(operationKinds as readonly string[]).includes(runAfter.kind)) {
    return { action: 'invalid', message: `spec.runAfter.kind: "${runAfter.kind}" is not a data operation kind (expected one of ${operationKinds.join(', ')})` };
  }
  const ref = `${runAfter.kind} "${runAfter.namespace ?? ownNamespace}/${runAfter.name}"`;
  if (phase === 'Missing') return { action: 'wait', reason: 'DataOperationNotFound', message: `waiting: preceding operation ${ref} (spec.runAfter) not found` };
  if (phase === 'Complete') return { action: 'proceed' };
  return { action: 'wait', reason: 'DataOperationWaiting', message: `waiting for operation ${ref} to complete (it is ${phase ?? 'not started'})` };
}

export type TtlDecision = { readonly action: 'keep'; readonly requeueAfterMs?: number } | { readonly action: 'delete' };

/** ttlSecondsAfterFinished: a finished operation is deleted that long after it finished (`finishedMs`). */
export function decideTtl(ttlSeconds: number | undefined, finishedMs: number | undefined, nowMs: number): TtlDecision {
  if (ttlSeconds === undefined || finishedMs === undefined || !Number.isFinite(finishedMs)) return { action: 'keep' };
  const due = finishedMs + ttlSeconds * 1000;
  return due <= nowMs ? { action: 'delete' } : { action: 'keep', requeueAfterMs: due - nowMs };
}

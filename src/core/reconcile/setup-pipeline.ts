// The runtime setup pipeline, in the order of Fluid's template engine (pkg/ddc/base/setup.go).
// Pure: the controller observes the world, asks for the next step, runs it (each step is
// idempotent), observes again. After a crash it simply starts over from the first unmet step.
// The volume comes before binding: a Bound dataset is usable, its PV and PVC exist and are Bound.

export type SetupStep =
  | 'setupMaster'
  | 'checkMasterReady'
  | 'prepareUfs'
  | 'setupWorkers'
  | 'checkWorkersReady'
  | 'updateRuntimeStatus'
  | 'createVolume'
  | 'bindDataset';

export const SETUP_STEPS: readonly SetupStep[] = [
  'setupMaster', 'checkMasterReady', 'prepareUfs', 'setupWorkers', 'checkWorkersReady',
  'updateRuntimeStatus', 'createVolume', 'bindDataset',
];

/** What the controller saw; every flag is true when that step's goal already holds. */
export interface SetupObservation {
  /** The engine has a master group (false for fuse-only engines: master steps are skipped). */
  readonly hasMaster: boolean;
  readonly hasWorkers: boolean;
  /** Master StatefulSet and the engine ConfigMap exist and match the current plan. */
  readonly masterSetUp: boolean;
  /** At least one master pod is Ready (a Raft group elects a leader once a quorum is up). */
  readonly masterReady: boolean;
  /** The master has listed the UFS (metadata loaded); recorded in the runtime's status. */
  readonly ufsPrepared: boolean;
  readonly workersSetUp: boolean;
  /** At least one worker pod and the FUSE pod are Ready (Fluid accepts a partially ready worker group). */
  readonly workersReady: boolean;
  readonly statusUpToDate: boolean;
  readonly datasetBound: boolean;
  /** PV and PVC exist (maybe not bound yet) and the fuse node label is set. */
  readonly volumeExists: boolean;
  /** PV and PVC exist and are Bound to each other, and the fuse node label is set. */
  readonly volumeCreated: boolean;
}

function met(step: SetupStep, o: SetupObservation): boolean {
  switch (step) {
    case 'setupMaster': return !o.hasMaster || o.masterSetUp;
    case 'checkMasterReady': return !o.hasMaster || o.masterReady;
    case 'prepareUfs': return !o.hasMaster || o.ufsPrepared;
    case 'setupWorkers': return !o.hasWorkers || o.workersSetUp;
    case 'checkWorkersReady': return !o.hasWorkers || o.workersReady;
    case 'updateRuntimeStatus': return o.statusUpToDate;
    case 'bindDataset': return o.datasetBound;
    case 'createVolume': return o.volumeCreated;
  }
}

/** The first step whose goal does not hold yet, or 'done' when the runtime is fully set up. */
export function nextSetupStep(o: SetupObservation): SetupStep | 'done' {
  for (const step of SETUP_STEPS) if (!met(step, o)) return step;
  return 'done';
}

/** Steps that only wait (the controller requeues instead of acting). */
export function isWaitStep(step: SetupStep): boolean {
  return step === 'checkMasterReady' || step === 'checkWorkersReady';
}

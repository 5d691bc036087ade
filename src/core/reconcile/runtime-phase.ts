// Phase of one runtime component group (masters, workers or fuses), as Fluid reports it in
// status.masterPhase / workerPhase / fusePhase.

/** NotReady: none ready (or none desired yet); PartialReady: some but not all; Ready: all desired are ready. */
export type RuntimePhase = 'NotReady' | 'PartialReady' | 'Ready';

/**
 * Contract: `desired` and `ready` are non-negative counts. A group with 0 desired is NotReady
 * (it has not been set up), never Ready.
 */
export function runtimePhase(desired: number, ready: number): RuntimePhase {
  if (desired <= 0 || ready <= 0) return 'NotReady';
  return ready >= desired ? 'Ready' : 'PartialReady';
}

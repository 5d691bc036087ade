// Errors the master answers with; the RPC layer maps `code` to an HTTP status.
import { FluidError } from '../errors.js';

/** The dataset path does not exist (or its mount does not). */
export class PathNotFoundError extends FluidError {
  constructor(readonly path: string) {
    super('NotFound', `no such path in the dataset: ${path}`);
  }
}

/** The request is malformed (names the field and what is expected). */
export class InvalidRequestError extends FluidError {
  constructor(message: string) {
    super('Invalid', message);
  }
}

/** The master cannot serve yet (e.g. its under storage is unreachable); the message says why. */
export class NotReadyError extends FluidError {
  constructor(reason: string) {
    super('NotReady', `master not ready: ${reason}`);
  }
}

/**
 * registerWorker refused: another instance of this worker id holds a live lease. The caller retries
 * after `leaseEndsMs` (the old instance must stay silent until then).
 */
export class WorkerIdInUseError extends FluidError {
  constructor(readonly workerId: string, readonly holderAddress: string, readonly leaseEndsMs: number) {
    super('WorkerIdInUse', `worker id "${workerId}" is registered by another live instance at ${holderAddress}; it can be taken over once that instance has sent no heartbeat until its lease ends (${new Date(leaseEndsMs).toISOString()})`);
  }
}

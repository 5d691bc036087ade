import { FluidError } from '../errors.js';

/**
 * The gRPC status a CSI call fails with (the names of grpc's status codes). The CSI spec fixes
 * which one each failure uses: a missing required field is InvalidArgument, a volume this plugin
 * does not know is NotFound, a mount not ready in time is DeadlineExceeded.
 */
export type CsiStatus =
  | 'InvalidArgument' | 'NotFound' | 'AlreadyExists' | 'FailedPrecondition'
  | 'DeadlineExceeded' | 'Unavailable' | 'Internal' | 'Unimplemented';

/** A CSI call's failure: `status` becomes the gRPC status code, the message its details. */
export class CsiError extends FluidError {
  constructor(readonly status: CsiStatus, message: string, options?: { cause?: unknown }) {
    super(status, message, options);
  }
}

/** A required request field is empty or absent (CSI: InvalidArgument). `field` is the proto field name. */
export class CsiMissingFieldError extends CsiError {
  constructor(readonly method: string, readonly field: string, detail = '') {
    super('InvalidArgument', `${method}: ${field} is required${detail ? ` (${detail})` : ''}`);
  }
}

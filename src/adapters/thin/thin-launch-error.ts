import { FluidError } from '../../core/errors.js';

/** Why the client could not be (re)started; `reason` becomes the runtime condition's reason. */
export type ThinLaunchReason = 'SetupFailed' | 'InvalidSpec';

export class ThinLaunchError extends FluidError {
  constructor(readonly reason: ThinLaunchReason, message: string, options?: { cause?: unknown }) {
    super(`Thin${reason}`, message, options);
  }
}

import { FluidError } from '../errors.js';

/** A patch document is malformed or cannot be applied to the target (maps to HTTP 422/400). */
export class PatchError extends FluidError {
  constructor(message: string) {
    super('PatchInvalid', message);
  }
}

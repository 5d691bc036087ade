import { FluidError } from '../errors.js';

/**
 * A patch document is malformed (`malformed`: HTTP 400) or well-formed but cannot be applied to
 * the target (`failed`: HTTP 422, as kube-apiserver answers a JSON patch whose operation fails).
 */
export class PatchError extends FluidError {
  readonly failure: 'malformed' | 'failed';
  constructor(message: string, failure: 'malformed' | 'failed' = 'malformed') {
    super('PatchInvalid', message);
    this.failure = failure;
  }
}

// Errors of the Kubernetes API client. `status` is the HTTP status (0 = never reached the server).
import { FluidError } from '../../core/errors.js';

export class KubeApiError extends FluidError {
  constructor(readonly status: number, readonly reason: string, message: string, options?: { cause?: unknown }) {
    super(reason || 'KubeApi', message, options);
  }

  static fromBody(status: number, text: string): KubeApiError {
    try {
      const body = JSON.parse(text) as { reason?: string; message?: string };
      return new KubeApiError(status, body.reason ?? 'Unknown', body.message ?? text);
    } catch {
      return new KubeApiError(status, 'Unknown', text.slice(0, 500) || `HTTP ${status}`);
    }
  }

  isConflict(): boolean { return this.status === 409; }
  isNotFound(): boolean { return this.status === 404; }
  isAlreadyExists(): boolean { return this.status === 409 && this.reason === 'AlreadyExists'; }
}

/** The watch's resourceVersion is too old (HTTP 410 Gone): list again, then watch. */
export class KubeWatchExpiredError extends FluidError {
  constructor() {
    super('Expired', 'watch resourceVersion expired (410 Gone)');
  }
}

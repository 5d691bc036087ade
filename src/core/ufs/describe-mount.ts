// Log-safe description of a mount: never includes secret values.
import type { EngineMount } from '../../api/engine-config.js';
import { redactUri } from './mount-uri.js';

/**
 * The mount point with user-info ("user:pass@") and secret-looking query parameters replaced by
 * "***". Option values (plain or encrypted) are never included.
 */
export function describeMount(mount: Pick<EngineMount, 'mountPoint'>): string {
  return redactUri(mount.mountPoint);
}

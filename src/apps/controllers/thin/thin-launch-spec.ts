// The file the thin runner hands to `fluid thin-fuse --spec FILE` (mode 0600). It holds paths
// and the client's argv/env only; secret values stay in their own 0600 files.
import type { ThinClientPlan } from '../../../core/thin/client-plan.js';
import type { ThinClientStatus } from '../../../adapters/thin/thin-client-launcher.js';

export interface ThinLaunchSpec {
  readonly plan: ThinClientPlan;
  /** Laid out by writeClientFiles: config/, secrets/, work/. */
  readonly filesDir: string;
  /** Host paths of the secret files (read to mask their values in output). */
  readonly secretFiles: readonly string[];
  /** Where the launcher keeps its latest ThinClientStatus (JSON, rewritten atomically). */
  readonly statusFile: string;
  readonly mountTimeoutMs?: number;
}

/** Contents of statusFile. */
export interface ThinStatusFile extends ThinClientStatus {
  /** Launcher pid, to tell a stale file from a live one. */
  readonly launcherPid: number;
}

// The metadata port of the FUSE client: stat and list inside one dataset mount. Implemented over
// the master's RPC (the normal case) or straight over the mounts' UFS (fallback, and before a
// master is reachable). Paths are UFS paths inside the mount ("/", "/dir/file").
import type { UfsEntry } from '../../core/ufs/ufs.js';

export interface NamespaceSource {
  stat(mount: string, ufsPath: string): Promise<UfsEntry>;
  list(mount: string, ufsPath: string): Promise<UfsEntry[]>;
}

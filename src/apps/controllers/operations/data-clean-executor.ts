// DataClean: frees every cached block of the dataset on every live worker (engine-client cleanPath,
// the same path as `fluid cache clean`). Freeing is idempotent, so a resumed run is harmless.
import { formatBytes } from '../../../api/quantity.js';
import { cleanPath } from '../../../adapters/engine-client/index.js';
import { R } from '../../../adapters/kube/resources.js';
import type { OperationExecutor } from '../data-operation-controller.js';

export const dataCleanExecutor: OperationExecutor = {
  kind: 'DataClean',
  resource: R.dataClean,
  describe: () => 'cleaning the cache of / on every worker',
  startStatus: () => ({}),
  async run(_spec, { master }) {
    const r = await cleanPath(master, '/');
    if (r.failed.length > 0) throw new Error(`${r.failed.length} of ${r.workers} worker(s) could not be cleaned: ${r.failed[0]?.worker ?? ''}: ${r.failed[0]?.reason ?? ''}`);
    return {
      status: { infos: { freedBlocks: String(r.freedBlocks), bytesFreed: String(r.bytesFreed), files: String(r.files), workers: String(r.workers) } },
      message: `freed ${r.freedBlocks} block(s), ${formatBytes(r.bytesFreed)} on ${r.workers} worker(s)`,
    };
  },
};

// DataLoad: walks each target path (default: the whole dataset) through the master and asks the
// workers to cache every block (engine-client loadPath); with loadMetadata it refreshes the
// metadata first. Progress (bytes, files) goes to status after each target. Loading is idempotent
// (cached blocks are skipped), so a run resumed after a controller restart does not fetch again.
import { loadPath } from '../../../adapters/engine-client/index.js';
import { R } from '../../../adapters/kube/resources.js';
import { arr, rec, str } from '../../../core/reconcile/spec-view.js';
import type { OperationExecutor } from '../data-operation-controller.js';

function targets(spec: Record<string, unknown>): string[] {
  const paths = arr(spec['target']).map((t) => str(rec(t)?.['path'])).filter((p): p is string => !!p);
  return paths.length > 0 ? paths : ['/'];
}

export const dataLoadExecutor: OperationExecutor = {
  kind: 'DataLoad',
  resource: R.dataLoad,
  describe: (spec) => `loading ${targets(spec).join(', ')} into the cache`,
  startStatus: () => ({ progress: { loadedBytes: 0, loadedFiles: 0 } }),
  async run(spec, { master, progress }) {
    const paths = targets(spec);
    let bytes = 0;
    let files = 0;
    let totalBytes = 0;
    if (spec['loadMetadata'] === true) for (const p of paths) await master.loadMetadata(p, true);
    for (const p of paths) {
      const st = await master.getStatus(p);
      totalBytes += st.kind === 'file' ? st.size : 0;
      const r = await loadPath(master, p);
      if (r.failed.length > 0) {
        await progress({ progress: { loadedBytes: bytes, loadedFiles: files } });
        throw new Error(`${r.failed.length} block(s) of ${p} could not be cached: ${r.failed[0]?.reason ?? ''}`);
      }
      files += r.files;
      bytes += r.bytesFetched;
      await progress({ progress: { loadedBytes: bytes, loadedFiles: files } });
    }
    const stats = await master.stats();
    return {
      status: {
        progress: { loadedBytes: bytes, loadedFiles: files, totalBytes: totalBytes || stats.ufsTotalBytes, totalFiles: files },
        infos: { bytesFetched: String(bytes), files: String(files), cachedPercentageOfDataset: stats.ufsTotalBytes > 0 ? `${((stats.cachedBytes / stats.ufsTotalBytes) * 100).toFixed(1)}%` : '100.0%' },
      },
      message: `loaded ${files} file(s), fetched ${bytes} bytes from the UFS`,
    };
  },
};

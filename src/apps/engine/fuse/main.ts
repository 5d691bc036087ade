// `fluid engine fuse --config FILE`: mounts a dataset read-only at FuseConfig.mountPath and serves
// /healthz and /metrics on FuseConfig.port until SIGTERM/SIGINT, then unmounts and exits 0.
// Data path: master (metadata, block layout) -> workers (short-circuit / remote) -> UFS fallback.
import type { Ufs } from '../../../core/ufs/ufs.js';
import { UsageError } from '../../../core/errors.js';
import { createUfs } from '../../../adapters/ufs/create-ufs.js';
import { MasterClient } from '../../../adapters/engine-client/master-client.js';
import { EngineCredential } from '../../../adapters/rpc/engine-credential.js';
import { EngineDataPath } from '../../../adapters/fuse/engine-data-path.js';
import { DatasetLayout } from '../../../core/fuse/dataset-path.js';
import { FuseFilesystem } from '../../../adapters/fuse/fuse-filesystem.js';
import { FuseMetrics } from '../../../adapters/fuse/fuse-metrics.js';
import { mountFuse } from '../../../adapters/fuse/fuse-mount.js';
import { startHealthServer } from '../../../adapters/fuse/health-server.js';
import { MasterNamespaceSource } from '../../../adapters/fuse/master-namespace-source.js';
import { UfsDataPath } from '../../../adapters/fuse/ufs-data-path.js';
import { UfsNamespaceSource } from '../../../adapters/fuse/ufs-namespace-source.js';
import { fuseTunables } from './fuse-properties.js';
import { FuseConfig } from '../../../api/engine-config.js';
import { engineArgOverrides, loadEngineConfig } from '../load-engine-config.js';
import { watchMasters } from '../config-watch.js';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

export async function run(args: string[]): Promise<number> {
  const i = args.indexOf('--config');
  const file = i >= 0 ? args[i + 1] : undefined;
  if (!file) throw new UsageError('usage: fluid engine fuse --config FILE');
  const cfg = loadEngineConfig(FuseConfig, 'FuseConfig', file, engineArgOverrides(args));
  const tun = fuseTunables(cfg.properties);
  const credential = EngineCredential.fromFile(cfg.tokenFile);

  const ufsByMount = new Map<string, Ufs>();
  for (const m of cfg.mounts) ufsByMount.set(m.name, createUfs(m));
  const closeUfs = async (): Promise<void> => { await Promise.allSettled([...ufsByMount.values()].map((u) => u.close())); };

  if (tun.checkUfsOnStart) {
    for (const m of cfg.mounts) {
      try {
        const root = await withTimeout((ufsByMount.get(m.name) as Ufs).stat('/'), 15_000, 'stat /');
        if (root.kind !== 'directory') throw new Error('the mount point is not a directory');
      } catch (err) {
        await closeUfs();
        process.stderr.write(`fluid engine fuse: mount "${m.name}": under storage is not usable: ${(err as Error).message}\n`);
        return 1;
      }
    }
  }

  const metrics = new FuseMetrics();
  const master = new MasterClient(cfg.masters, { credential, failoverTimeoutMs: 10_000, attemptTimeoutMs: 60_000 });
  const ufsData = new UfsDataPath(ufsByMount, metrics, { chunkSize: tun.ufsChunkSize, cacheBytes: 64 << 20, maxParallelPrefetch: 8 });
  const layout = new DatasetLayout(cfg.mounts.map((m) => ({ name: m.name, path: m.path })));
  const data = new EngineDataPath(master, ufsData, metrics, {
    layout,
    // Same-node workers are read by short-circuit: they registered this node's name (see WorkerProcess.nodeIdentity).
    localHost: cfg.nodeName ?? cfg.host, shortCircuit: tun.shortCircuit, maxOpenBlocks: tun.maxOpenBlocks, openBlockIdleMs: tun.openBlockIdleMs,
    remoteChunkSize: 4 << 20, remoteCacheBytes: 64 << 20, maxParallelPrefetch: tun.readaheadMaxBlocks, suspectMs: 10_000,
    workerRefreshMs: 3_000, blockInfoReuseMs: tun.attrTimeoutSec * 1000, smallFileBytes: tun.smallFileBytes, log,
  });
  let capacity: { totalBytes: number; usedBytes: number } | undefined;
  const refreshStats = (): void => {
    master.stats().then((s) => { capacity = { totalBytes: Math.max(s.ufsTotalBytes, s.cachedBytes), usedBytes: s.cachedBytes }; }, () => undefined);
  };
  refreshStats();
  const statsTimer = setInterval(refreshStats, 10_000);
  statsTimer.unref();

  const fsys = new FuseFilesystem({
    mounts: cfg.mounts.map((m) => ({ name: m.name, path: m.path })),
    namespace: new MasterNamespaceSource(master, new UfsNamespaceSource(ufsByMount), layout),
    data,
    metrics,
    attrTtlMs: tun.attrTimeoutSec * 1000,
    readahead: { minBlocks: 2, maxBlocks: tun.readaheadMaxBlocks, triggerReads: 2 },
    log,
    capacity: () => capacity,
  });

  const health = await startHealthServer(cfg.host, cfg.port, () => metrics.render());
  let mounted;
  try {
    mounted = await mountFuse(cfg.mountPath, fsys.ops(), {
      attrTimeoutSec: tun.attrTimeoutSec, maxRead: tun.maxRead, maxReadahead: tun.maxReadahead, maxThreads: tun.maxThreads, fsname: `fluid-${cfg.id}`, log,
    });
  } catch (err) {
    await health.close();
    await data.close();
    await closeUfs();
    clearInterval(statsTimer);
    throw err;
  }
  const native = mounted;
  if (tun.shortCircuit) fsys.bindNative(native);
  metrics.nativeCounters = () => native.readStats();
  health.setReady(true);
  const unwatch = watchMasters(file, cfg.masters, (masters) => {
    master.setAddresses(masters);
    log(`fluid engine fuse ${cfg.id}: masters now at ${masters.join(', ')}`);
  });
  process.stdout.write(`FUSE_READY ${cfg.host}:${health.port} ${cfg.mountPath}\n`);
  log(`fluid engine fuse ${cfg.id}: mounted ${cfg.mounts.map((m) => m.name).join(', ')} at ${cfg.mountPath}; health on ${cfg.host}:${health.port}`);

  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      log(`fluid engine fuse ${cfg.id}: ${sig}, unmounting`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  unwatch();
  health.setReady(false, 'shutting down');
  await mounted.unmount();
  clearInterval(statsTimer);
  await data.close();
  await closeUfs();
  await health.close();
  return 0;
}

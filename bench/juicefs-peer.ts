// JuiceFS mounted directly (`juicefs mount` with a local cache dir, SQLite metadata, a local-directory
// bucket) as a peer row of the cache-engine benchmark: the same bytes, copied into JuiceFS once, then
// read with `cp -r` cold (fresh cache dir, page cache dropped: served by the bucket) and warm (page
// cache warm; and page cache dropped each time, so JuiceFS's own block cache serves it).
// Kept apart from bench/cache-engine.ts so other benchmarks (bench/small-files.ts) can mount JuiceFS
// over a directory too: see startJuiceFSOverDir.
import { join } from 'node:path';
import type { Cleanup } from '../test/support/proc.js';
import { juicefsOverDir } from '../test/support/juicefs.js';

/**
 * Copies `srcDir` into a new JuiceFS file system under `base` and mounts it at `<base>/mnt` (the copy
 * is `<base>/mnt/data`); remount() starts again with an empty cache. Stopped by `scope`'s cleanup.
 */
export const startJuiceFSOverDir = juicefsOverDir;

/** What the peer needs from the benchmark it runs in (its timing and output conventions). */
export interface PeerTools {
  cpR(from: string, scratch: string): Promise<number>;
  dropCaches(): void;
  row(label: string, value: string): void;
  median(xs: number[]): number;
  sec(s: number): string;
}

export interface JuiceFSPeerResult {
  readonly cold: number;
  readonly warm: number;
  readonly warmDropped: number;
}

export async function juicefsPeer(scope: Cleanup, srcDir: string, base: string, scratch: string, reps: number, tools: PeerTools): Promise<JuiceFSPeerResult> {
  process.stderr.write('juicefs: copying the fixture into JuiceFS (SQLite metadata, local-dir bucket)...\n');
  const jfs = await startJuiceFSOverDir(scope, srcDir, join(base, 'juicefs'));
  const data = join(jfs.mountPath, 'data');
  await jfs.remount();
  tools.dropCaches();
  const cold = await tools.cpR(data, scratch);
  tools.row('juicefs mount cold cp -r (local-dir bucket, empty cache, page cache dropped)', tools.sec(cold));
  const warmRuns: number[] = [];
  for (let i = 0; i < reps; i++) warmRuns.push(await tools.cpR(data, scratch));
  const warm = tools.median(warmRuns);
  tools.row('juicefs mount warm cp -r (page cache warm)', tools.sec(warm));
  const dropped: number[] = [];
  for (let i = 0; i < reps; i++) { tools.dropCaches(); dropped.push(await tools.cpR(data, scratch)); }
  const warmDropped = tools.median(dropped);
  tools.row('juicefs mount warm cp -r (page cache dropped each time: its block cache)', tools.sec(warmDropped));
  await jfs.stop();
  return { cold, warm, warmDropped };
}

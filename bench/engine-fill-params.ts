// Chooses the worker's block size and fill parallelism defaults: cold read of one 263 MiB file from
// nginx with `limit_rate 20m` through a real master + worker, for several (block size, range size,
// parallelism) settings, next to one single-stream download of the same file (the baseline).
//   node .build/<name>/bench/engine-fill-params.js [quick]
// Prints, per setting: seconds, MB/s, and the ratio to the single-stream download.
import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { blockRefOf } from '../src/core/blockstore/block-id.js';
import { masterClient, mount, startMaster, startWorker, workerClient } from '../test/support/engine-cluster.js';
import { tempDir } from '../test/support/proc.js';
import { startNginx, writeRandomFile } from '../test/support/servers.js';

const MiB = 1024 * 1024;
const cleanups: (() => unknown)[] = [];
const t = { after: (fn: () => unknown) => { cleanups.push(fn); } };

async function main(): Promise<void> {
  const quick = process.argv.includes('quick');
  const root = tempDir(t, 'fluid-bench-fill-');
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'hbase'), { recursive: true });
  const size = 263 * MiB;
  writeRandomFile(join(root, 'hbase', 'big.bin'), size, 5);
  const nginx = await startNginx(t, root, { limitRate: '20m' });

  const t0 = performance.now();
  const res = await fetch(`${nginx.url}hbase/big.bin`);
  let got = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) got += chunk.length;
  const baseline = (performance.now() - t0) / 1000;
  console.log(`single-stream download: ${got} bytes in ${baseline.toFixed(2)} s (${(got / MiB / baseline).toFixed(1)} MiB/s)`);

  const settings: [number, number, number][] = quick
    ? [[16, 2, 8], [16, 1, 16], [32, 2, 16], [16, 4, 4]]
    : [[16, 4, 4], [16, 4, 8], [16, 2, 8], [16, 2, 16], [32, 4, 8], [32, 4, 16], [32, 8, 8], [64, 4, 16], [64, 8, 8]];
  const mounts = [mount('hbase', `${nginx.url}hbase/`)];
  console.log('block MiB | range MiB | parallel | in-flight blocks | seconds | MiB/s | ratio to single stream');
  for (const [blockMiB, rangeMiB, par] of settings) {
    for (const inflight of quick ? [1] : [1, 2]) {
      const master = await startMaster(t, { mounts, properties: { 'fluid.worker.block.size': `${blockMiB}MiB` } });
      const worker = await startWorker(t, {
        id: `w-${blockMiB}-${rangeMiB}-${par}-${inflight}`, masters: [master.address], mounts,
        properties: { 'fluid.worker.fill.parallelism': String(par), 'fluid.worker.fill.range.size': `${rangeMiB}MiB` },
        tiers: (dir) => [{ mediumtype: 'MEM', paths: [join(dir, 'mem')], quotas: [600 * MiB], high: 0.95, low: 0.7 }],
      });
      const info = await masterClient([master.address]).getBlockInfo('/hbase/big.bin');
      const wc = workerClient(worker.address);
      const start = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: inflight }, async () => {
        while (next < info.blocks.length) {
          const b = info.blocks[next++];
          if (!b) break;
          await wc.readBlock(blockRefOf(info, b));
        }
      }));
      const secs = (performance.now() - start) / 1000;
      console.log(`${blockMiB} | ${rangeMiB} | ${par} | ${inflight} | ${secs.toFixed(2)} | ${(size / MiB / secs).toFixed(1)} | ${(secs / baseline).toFixed(3)}`);
      await worker.proc.kill('SIGKILL');
      await master.proc.kill('SIGKILL');
    }
  }
  await nginx.stop();
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; }).finally(async () => {
  for (const fn of cleanups.reverse()) { try { await fn(); } catch { /* best effort */ } }
});

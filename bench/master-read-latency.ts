// Read latency of a 3-master Raft group (each read = one ReadIndex round) next to a single master
// with the file journal (no round): sequential listStatus calls through the engine client.
//   node .build/NAME/bench/master-read-latency.js [reads]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterClient } from '../src/adapters/engine-client/master-client.js';
import { startHaCluster } from '../test/integration/ha/ha-cluster.js';
import { masterClient, startMaster } from '../test/support/engine-cluster.js';
import { waitFor } from '../test/support/proc.js';

const reads = Number(process.argv[2] ?? 300);

async function timeReads(mc: MasterClient): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reads; i++) {
    const t0 = performance.now();
    await mc.listStatus('/d/a');
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function timeWrites(mc: MasterClient): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reads; i++) {
    const t0 = performance.now();
    await mc.call('registerWorker', { workerId: `bench-${i}`, address: `127.0.0.1:${1000 + i}`, host: '127.0.0.1', tiers: [], blocks: [] } as never);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number): string => (xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0).toFixed(2);

async function main(): Promise<void> {
  const cleanups: (() => unknown)[] = [];
  const t = { after: (fn: () => unknown) => { cleanups.push(fn); } };
  const root = mkdtempSync(join(tmpdir(), 'fluid-bench-reads-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  try {
    mkdirSync(join(root, 'a'));
    for (let i = 0; i < 10; i++) writeFileSync(join(root, 'a', `f${i}`), `x${i}`);
    const mounts = [{ name: 'd', mountPoint: `local://${root}`, options: {}, encryptOptionFiles: {} }];
    const cluster = await startHaCluster(t, { size: 3, mounts });
    await cluster.leader();
    const ha = masterClient(cluster.addresses);
    await waitFor('metadata', async () => (await ha.stats()).metadataComplete, 30_000);
    const single = await startMaster(t, { mounts });
    const one = masterClient([single.address]);
    await waitFor('metadata', async () => (await one.stats()).metadataComplete, 30_000);
    const r1 = await timeReads(one);
    const r3 = await timeReads(ha);
    const w1 = await timeWrites(one);
    const w3 = await timeWrites(ha);
    process.stdout.write([
      `metadata read latency (${reads} sequential listStatus), ms p50 / p99:`,
      `  single master (file journal)       ${pct(r1, 0.5)} / ${pct(r1, 0.99)}`,
      `  3 masters (Raft, ReadIndex/read)   ${pct(r3, 0.5)} / ${pct(r3, 0.99)}   ratio p50 ${(Number(pct(r3, 0.5)) / Math.max(0.01, Number(pct(r1, 0.5)))).toFixed(1)}x`,
      `metadata write latency (${reads} sequential registerWorker, fsync'd), ms p50 / p99:`,
      `  single master (file journal)       ${pct(w1, 0.5)} / ${pct(w1, 0.99)}`,
      `  3 masters (Raft, quorum fsync)     ${pct(w3, 0.5)} / ${pct(w3, 0.99)}`,
    ].join('\n') + '\n');
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

await main();

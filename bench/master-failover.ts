// Failover gap of the embedded Raft journal: three real masters, a reader calling listStatus every
// 10 ms through the engine client (which follows the leader), SIGKILL of the leader; the gap is the
// time from the kill to the reader's first successful answer. Repeated `rounds` times.
//   node .build/NAME/bench/master-failover.js [rounds]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { masterClient } from '../test/support/engine-cluster.js';
import { startHaCluster } from '../test/integration/ha/ha-cluster.js';
import { waitFor } from '../test/support/proc.js';

const rounds = Number(process.argv[2] ?? 5);

async function main(): Promise<void> {
  const cleanups: (() => unknown)[] = [];
  const t = { after: (fn: () => unknown) => { cleanups.push(fn); } };
  const root = mkdtempSync(join(tmpdir(), 'fluid-bench-failover-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  try {
    mkdirSync(join(root, 'a'));
    for (let i = 0; i < 10; i++) writeFileSync(join(root, 'a', `f${i}`), `x${i}`);
    const cluster = await startHaCluster(t, { size: 3, mounts: [{ name: 'd', mountPoint: `local://${root}`, options: {}, encryptOptionFiles: {} }] });
    const mc = masterClient(cluster.addresses, { attemptTimeoutMs: 2000 });
    await cluster.leader();
    await waitFor('metadata', async () => (await mc.stats()).metadataComplete, 30_000);
    const gaps: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const leader = await cluster.leader();
      let killedAt = 0;
      let firstOk = 0;
      let stop = false;
      const reader = (async () => {
        while (!stop) {
          try {
            await mc.listStatus('/d/a');
            if (killedAt > 0 && firstOk === 0) firstOk = Date.now();
          } catch { /* counted as part of the gap */ }
          await new Promise((res) => setTimeout(res, 10));
        }
      })();
      await new Promise((res) => setTimeout(res, 500));
      killedAt = Date.now();
      await leader.kill();
      await waitFor('first read after kill', () => firstOk > 0, 60_000, 5);
      stop = true;
      await reader;
      gaps.push(firstOk - killedAt);
      leader.start();
      await new Promise((res) => setTimeout(res, 1500));
    }
    const sorted = [...gaps].sort((a, b) => a - b);
    const lines = [
      `Raft failover (3 masters, SIGKILL leader, ${rounds} rounds): kill -> first successful read`,
      `  gaps ms: ${gaps.join(', ')}`,
      `  median ${sorted[Math.floor(sorted.length / 2)] ?? 0} ms, max ${sorted[sorted.length - 1] ?? 0} ms   (target <= 2000 ms)`,
      '  Alluxio embedded journal defaults: election timeout 10-20 s (alluxio.master.embedded.journal.election.timeout.min/max)',
      `  ratio to Alluxio's minimum (10 s): ${((sorted[sorted.length - 1] ?? 0) / 10_000).toFixed(3)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

await main();

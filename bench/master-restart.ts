// Restart time of a master holding N inodes (default 1,000,000), from process start to /healthz
// 200, and master memory per inode. The namespace is built in-process through the real file
// journal and checkpointed; then a real `fluid engine master` process is started on that journal.
//   node .build/NAME/bench/master-restart.js [inodes] [--metastore HEAP|SQLITE|ROCKS]
//   (--metastore sets fluid.master.metastore of the restarted master; the in-process build always uses the heap)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterConfig } from '../src/api/engine-config.js';
import { jsonLogger } from '../src/adapters/apiserver/logger.js';
import { FileJournal } from '../src/adapters/journal/file-journal.js';
import { MasterStateMachine } from '../src/core/master/master-state-machine.js';
import { freePort, startFluid, waitFor } from '../test/support/proc.js';
import { sharedToken } from '../test/support/engine-token.js';

const argv = process.argv.slice(2);
const metastore = argv.includes('--metastore') ? argv[argv.indexOf('--metastore') + 1] ?? 'HEAP' : 'HEAP';
const inodes = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const perDir = 1000;
const dirs = Math.max(1, Math.round(inodes / perDir));

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'fluid-bench-restart-'));
  const cleanups: (() => unknown)[] = [() => rmSync(work, { recursive: true, force: true })];
  const t = { after: (fn: () => unknown) => { cleanups.push(fn); } };
  try {
    const journalDir = join(work, 'journal');
    const ufs = join(work, 'ufs');
    mkdirSync(ufs);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const sm = new MasterStateMachine();
    const j = new FileJournal(sm, {
      dir: journalDir, selfId: 'm0', log: jsonLogger(() => undefined),
      props: { checkpointEntries: 1e9, checkpointBytes: 1e15, segmentBytes: 64 * 1024 * 1024, formatOnStart: false },
    });
    const mounts = [{ name: 'd', ufs: `local://${ufs}` }];
    await j.propose({ type: 'mounts.set', mounts });
    await j.propose({ type: 'ns.listed', mount: 'd', path: '/', atMs: 1, children: Array.from({ length: dirs }, (_, i) => ({ name: `dir${i}`, kind: 'directory' as const, size: 0, mtimeMs: 1, fingerprint: '' })) });
    const t0 = Date.now();
    for (let d = 0; d < dirs; d++) {
      await j.propose({
        type: 'ns.listed', mount: 'd', path: `/dir${d}`, atMs: 1,
        children: Array.from({ length: perDir }, (_, i) => ({ name: `part-${i}.parquet`, kind: 'file' as const, size: 1_000_000 + i, mtimeMs: 1_700_000_000_000 + i, fingerprint: `"etag-${d}-${i}"` })),
      });
    }
    const buildMs = Date.now() - t0;
    gc();
    const heapPerInode = (process.memoryUsage().heapUsed - heap0) / (dirs * perDir + dirs);
    const c0 = Date.now();
    j.checkpoint();
    const checkpointMs = Date.now() - c0;
    j.close();
    const r0 = Date.now();
    const reopened = new FileJournal(new MasterStateMachine(), {
      dir: journalDir, selfId: 'm0', log: jsonLogger(() => undefined),
      props: { checkpointEntries: 1e9, checkpointBytes: 1e15, segmentBytes: 64 * 1024 * 1024, formatOnStart: false },
    });
    const recoverMs = Date.now() - r0;
    reopened.close();

    const port = await freePort();
    const cfg: MasterConfig = {
      id: 'm0', host: '127.0.0.1', port, mounts: [{ name: 'd', mountPoint: `local://${ufs}`, options: {}, encryptOptionFiles: {} }],
      peers: [], journalDir, tokenFile: sharedToken().file, properties: { 'fluid.master.metadata.sync.interval': '-1', 'fluid.master.metastore': metastore },
    };
    const cfgFile = join(work, 'master.json');
    writeFileSync(cfgFile, JSON.stringify(cfg));
    const s0 = Date.now();
    const proc = startFluid(t, ['engine', 'master', '--config', cfgFile]);
    await waitFor('master serving', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      return r?.status === 200;
    }, 120_000, 20);
    const restartMs = Date.now() - s0;
    const rssMb = Number((await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).match(/^process_resident_memory_bytes (\d+)/m)?.[1] ?? 0) / 2 ** 20;
    await proc.kill('SIGKILL');
    const n = dirs * perDir + dirs;
    const lines = [
      `master restart with ${n.toLocaleString('en')} inodes (file journal, checkpoint + replay, metastore ${metastore})`,
      `  build through the journal        ${(buildMs / 1000).toFixed(1)} s`,
      `  checkpoint write                 ${(checkpointMs / 1000).toFixed(1)} s`,
      `  journal recovery (in-process)     ${(recoverMs / 1000).toFixed(2)} s`,
      `  restart: process start -> serving ${(restartMs / 1000).toFixed(2)} s   (target <= 5 s)`,
      `  heap per inode (in-process)      ${heapPerInode.toFixed(0)} B     (target <= 300 B off-heap; heap metastore only here)`,
      ...(rssMb > 0 ? [`  master RSS after restart         ${rssMb.toFixed(0)} MiB`] : []),
      '  Alluxio defaults for comparison: checkpoint every 2,000,000 journal entries (alluxio.master.journal.checkpoint.period.entries); metastore ROCKS (off-heap) or HEAP',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

await main();

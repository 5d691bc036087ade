// Cache-engine benchmark (not a test): builds the hbase-shaped fixture at full size, serves it with
// nginx on loopback and measures, side by side in one run, fluid-ts against local disk, rclone and a
// single-stream download. Prints a table of medians and the ratios the issue sets as targets.
//   node dist/bench/cache-engine.js [--reps N] [--cold-reps N] [--no-rclone] [--no-cold] [--no-juicefs] [--juicefs-only] [--small-tier-only] [--cold-fast-only]
// Needs root (FUSE, drop_caches), nginx, rclone, curl. Uses /dev/shm for the workers' MEM tier.
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test/support/proc.js';
import { workerClient } from '../test/support/engine-cluster.js';
import { commandExists, startNginx } from '../test/support/servers.js';
import { metricValue, startCluster, type Cluster } from '../test/integration/fuse/engine-cluster.js';
import { juicefsPeer, type JuiceFSPeerResult } from './juicefs-peer.js';
import { CpuMeter, dropCaches, median, ratio, rcloneMount, run, runBench, Scope, sec, timed } from './support/bench-util.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** seed 001's hbase directory, by size. */
const FIXTURE: [string, number][] = [
  ['hbase-2.5.8-bin.tar.gz', 263 * MiB],
  ['hbase-2.5.8-hadoop3-bin.tar.gz', 252 * MiB],
  ['hbase-2.5.8-src.tar.gz', 36 * MiB],
  ['CHANGES.md', Math.round(1.1 * MiB)],
  ['RELEASENOTES.md', 650 * KiB],
  ['api_compare_2.5.7_to_2.5.8.html', 29 * KiB],
];

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isInteger(v) && v > 0 ? v : def;
}
const REPS = arg('--reps', 3);
const COLD_REPS = arg('--cold-reps', 1);
const RCLONE = !process.argv.includes('--no-rclone') && commandExists('rclone');
const COLD = !process.argv.includes('--no-cold');
const SMALL_TIER_ONLY = process.argv.includes('--small-tier-only');
/** JuiceFS mounted directly over the same bytes (bench/juicefs-peer.ts); needs `scripts/go-tool.sh juicefs`. */
const JUICEFS = !process.argv.includes('--no-juicefs');
const JUICEFS_ONLY = process.argv.includes('--juicefs-only');
const COLD_FAST_ONLY = process.argv.includes('--cold-fast-only');
/** Per-worker MEM quota of the small-tier phase: the fixture is about 4x both workers' tiers. */
const SMALL_QUOTA = 64 * MiB;

/** Deterministic content: a 4 MiB xorshift pattern, each 4 MiB chunk stamped with file and chunk index. */
function writeFixture(dir: string): number {
  const pattern = Buffer.allocUnsafe(4 * MiB);
  let x = 2463534242;
  for (let i = 0; i < pattern.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    pattern.writeUInt32LE(x, i);
  }
  let total = 0;
  for (const [fi, [name, size]] of FIXTURE.entries()) {
    const fd = openSync(join(dir, name), 'w', 0o644);
    for (let off = 0, chunk = 0; off < size; off += pattern.length, chunk++) {
      const n = Math.min(pattern.length, size - off);
      pattern.writeUInt32LE(fi, 0);
      pattern.writeUInt32LE(chunk, 4);
      let w = 0;
      while (w < n) w += writeSync(fd, pattern, w, n - w);
    }
    closeSync(fd);
    total += size;
  }
  return total;
}

async function cpR(from: string, scratch: string): Promise<number> {
  const dst = join(scratch, 'copy');
  rmSync(dst, { recursive: true, force: true });
  // Flush the previous copies' dirty pages first (untimed), so no run pays for another's writeback.
  await run('sync', []);
  const s = await timed(() => run('cp', ['-r', from, dst]));
  rmSync(dst, { recursive: true, force: true });
  return s;
}

async function workerTotals(c: Cluster): Promise<{ hits: number; misses: number; ufsBytes: number }> {
  let hits = 0; let misses = 0; let ufsBytes = 0;
  for (const w of c.workers) {
    const s = await workerClient(w.address).stats();
    hits += s.hits; misses += s.misses; ufsBytes += s.ufsBytesRead;
  }
  return { hits, misses, ufsBytes };
}

/** The engine processes of a cluster, by name. */
function enginePids(c: Cluster): [string, number | undefined][] {
  return [['master', c.master.child.pid], ...c.workers.map((w): [string, number | undefined] => [w.id, w.proc.child.pid]), ['fuse', c.fuse.child.pid]];
}

/**
 * Cold reads from the unlimited nginx, page cache dropped before each: `curl --parallel` of every
 * file, one curl per file in sequence, a fluid `cp -r` through a fresh cluster (engine CPU seconds
 * per process from /proc), and a fresh rclone mount. Medians of `reps`.
 */
async function coldFast(base: string, scratch: string, url: string, total: number, clusterOpts: Omit<Parameters<typeof startCluster>[1], 'mountPoint'>, reps: number): Promise<{ parallel: number; fluid: number; cpuPerGiB: number; rclone: number }> {
  const dst = join(scratch, 'dl');
  const urls = FIXTURE.map(([name]) => `${url}${name}`);
  const parallel: number[] = []; const sequential: number[] = []; const fluid: number[] = []; const cpuTotals: number[] = []; const rclone: number[] = [];
  for (let i = 0; i < reps; i++) {
    mkdirSync(dst, { recursive: true });
    await run('sync', []);
    dropCaches();
    parallel.push(await timed(() => run('curl', ['-sSf', '--parallel', '--parallel-max', '8', ...urls.flatMap((u, k) => ['-o', join(dst, String(k)), u])])));
    rmSync(dst, { recursive: true, force: true });
    mkdirSync(dst, { recursive: true });
    await run('sync', []);
    dropCaches();
    sequential.push(await timed(async () => { for (const [k, u] of urls.entries()) await run('curl', ['-sSf', '-o', join(dst, String(k)), u]); }));
    rmSync(dst, { recursive: true, force: true });
    const cs = new Scope();
    try {
      const c = await startCluster(cs, { ...clusterOpts, mountPoint: url });
      await run('sync', []);
      dropCaches();
      const cpu = new CpuMeter(enginePids(c));
      fluid.push(await cpR(join(c.mountPath, 'hbase'), scratch));
      const used = cpu.report();
      cpuTotals.push(used.total);
      row(`cold, fast source, run ${i + 1}: fluid engine CPU seconds by process`, used.text);
    } finally {
      await cs.close();
    }
    if (RCLONE) {
      const rs = new Scope();
      try {
        const mnt = await rcloneMount(rs, url, base, `rclone-cold-fast-${i}`);
        await run('sync', []);
        dropCaches();
        rclone.push(await cpR(mnt, scratch));
      } finally {
        await rs.close();
      }
    }
  }
  const gib = total / (1024 * MiB);
  row('cold, fast source: curl --parallel (8) of every file', sec(median(parallel)));
  row('cold, fast source: one curl per file, in sequence', sec(median(sequential)));
  row('cold, fast source: fluid cp -r through a fresh cluster', sec(median(fluid)));
  row('cold, fast source: fluid engine CPU seconds per GiB (all processes)', (median(cpuTotals) / gib).toFixed(2));
  if (RCLONE) row('cold, fast source: rclone mount (fresh cache) cp -r', sec(median(rclone)));
  return { parallel: median(parallel), fluid: median(fluid), cpuPerGiB: median(cpuTotals) / gib, rclone: RCLONE ? median(rclone) : Number.NaN };
}

async function readThroughput(file: string): Promise<number> {
  const buf = Buffer.allocUnsafe(MiB);
  const fd = openSync(file, 'r');
  let total = 0;
  const s = await timed(async () => {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
    }
  });
  closeSync(fd);
  return total / s;
}

const rows: [string, string][] = [];
function row(label: string, value: string): void {
  rows.push([label, value]);
  process.stderr.write(`  ${label}: ${value}\n`);
}

/**
 * UFS bytes ÷ bytes read, for one cold `cp -r` through a cluster whose tiers are about a quarter
 * of the data, and for a direct download of the same files (the 1.0x baseline). nginx's access
 * log ($bytes_sent) counts what the UFS sent.
 */
async function smallTier(base: string, scratch: string, total: number, tierRoot: string | undefined): Promise<{ fluid: number; direct: number }> {
  const scope = new Scope();
  try {
    const logged = await startNginx(scope, base, { accessLog: true });
    const sent = (): number => logged.bytesSent?.((p) => p.startsWith('/hbase/')) ?? Number.NaN;
    const dst = join(scratch, 'dl');
    mkdirSync(dst, { recursive: true });
    for (const [name] of FIXTURE) await run('curl', ['-sSf', '-o', join(dst, name), `${logged.url}hbase/${name}`]);
    rmSync(dst, { recursive: true, force: true });
    const direct = sent() / total;
    const c = await startCluster(scope, { mountName: 'hbase', blockSize: 16 * MiB, quota: SMALL_QUOTA, mountPoint: `${logged.url}hbase/`, ...(tierRoot ? { tierRoot } : {}) });
    const before = sent();
    dropCaches();
    const s = await cpR(join(c.mountPath, 'hbase'), scratch);
    const fluid = (sent() - before) / total;
    let evicted = 0; let notKept = 0;
    for (const w of c.workers) {
      const m = await c.metrics(w.address);
      evicted += metricValue(m, 'fluid_worker_evicted_blocks_total');
      notKept += metricValue(m, 'fluid_worker_blocks_not_kept_total');
    }
    row(`small tier: cold cp -r of ${(total / MiB).toFixed(0)} MiB, ${c.workers.length} workers x ${SMALL_QUOTA / MiB} MiB MEM`, `${sec(s)}; ${evicted} blocks evicted, ${notKept} not kept`);
    row('small tier: UFS bytes / bytes read, fluid | direct download', `${fluid.toFixed(3)} | ${direct.toFixed(3)}`);
    return { fluid, direct };
  } finally {
    await scope.close();
  }
}

async function main(): Promise<void> {
  const scope = new Scope();
  process.once('SIGINT', () => { void scope.close().then(() => process.exit(130)); });
  try {
    const base = tempDir(scope, 'fluid-bench-');
    chmodSync(base, 0o755);
    const src = join(base, 'hbase');
    mkdirSync(src, { mode: 0o755 });
    process.stderr.write('building the fixture...\n');
    const total = writeFixture(src);
    const scratch = join(base, 'scratch');
    mkdirSync(scratch);
    const fast = await startNginx(scope, base);
    const slow = await startNginx(scope, base, { limitRate: '20m' });
    const shm = existsSync('/dev/shm') ? '/dev/shm' : undefined;
    if (SMALL_TIER_ONLY) {
      const st = await smallTier(base, scratch, total, shm);
      process.stdout.write(`\nratio UFS bytes / bytes read, data 4x the tier = ${st.fluid.toFixed(3)}   (target <= 1.1; direct download ${st.direct.toFixed(3)})\n`);
      return;
    }
    if (JUICEFS_ONLY) {
      const local = [await cpR(src, scratch), await cpR(src, scratch)];
      row('local disk cp -r (warm page cache)', sec(median(local)));
      await juicefsPeer(scope, src, base, scratch, REPS, { cpR, dropCaches, row, median, sec });
      process.stdout.write(`\n${rows.map(([k, v]) => `${k}  ${v}`).join('\n')}\n`);
      return;
    }
    const clusterOpts = { mountName: 'hbase', blockSize: 16 * MiB, quota: 2048 * MiB, ...(shm ? { tierRoot: shm } : {}) };
    if (COLD_FAST_ONLY) {
      const cf = await coldFast(base, scratch, `${fast.url}hbase/`, total, clusterOpts, COLD_REPS);
      process.stdout.write(`\n${rows.map(([k, v]) => `${k}  ${v}`).join('\n')}\n\nratio cold fast fluid / curl --parallel = ${ratio(cf.fluid, cf.parallel)}   (target <= 1.2)\nratio cold fast fluid / rclone = ${ratio(cf.fluid, cf.rclone)}\ncold fast engine CPU per GiB = ${cf.cpuPerGiB.toFixed(2)} s   (target <= 1.5)\n`);
      return;
    }

    await cpR(src, scratch); // warms the local page cache
    const local: number[] = [];

    // ---- fluid warm (nginx unlimited)
    process.stderr.write('fluid: cold fill, then warm cp -r...\n');
    const warmScope = new Scope();
    const c = await startCluster(warmScope, { ...clusterOpts, mountPoint: `${fast.url}hbase/` });
    const fluidSrc = join(c.mountPath, 'hbase');
    const cpu = new CpuMeter(enginePids(c));
    const fill = await cpR(fluidSrc, scratch);
    row('fluid first cp -r (nginx unlimited, cold cache)', sec(fill));
    row('  CPU seconds during it, by process', cpu.report().text);
    await new Promise((r) => setTimeout(r, 1500)); // heartbeats report the new blocks
    const before = await workerTotals(c);
    const fuseBytes = async (): Promise<{ cache: number; ufs: number }> => {
      const m = await c.metrics(c.fuseHealth);
      const v = (source: string): number => metricValue(m, 'fluid_fuse_read_bytes_total', `source="${source}"`);
      return { cache: v('short_circuit') + v('remote_worker'), ufs: v('ufs') };
    };
    const fuseBefore = await fuseBytes();
    // Local-disk and fluid warm copies alternate, so both see the same background load.
    process.stderr.write('warm cp -r: local disk and fluid, alternating...\n');
    const fluidWarm: number[] = [];
    const requests = async (): Promise<number> => {
      const m = await c.metrics(c.fuseHealth);
      return metricValue(m, 'fluid_fuse_read_requests_total', 'path="native"') + metricValue(m, 'fluid_fuse_read_requests_total', 'path="js"');
    };
    const requestsBefore = await requests();
    for (let i = 0; i < REPS; i++) {
      local.push(await cpR(src, scratch));
      fluidWarm.push(await cpR(fluidSrc, scratch));
    }
    row('local disk cp -r (warm page cache)', sec(median(local)));
    row('fluid warm cp -r (page cache warm)', sec(median(fluidWarm)));
    row('fluid warm cp -r: FUSE read requests (0 = all from the page cache)', String((await requests()) - requestsBefore));

    // ---- first read from the worker cache, page cache dropped
    const tput: number[] = [];
    for (let i = 0; i < REPS; i++) {
      dropCaches();
      tput.push(await readThroughput(join(fluidSrc, 'hbase-2.5.8-bin.tar.gz')));
    }
    row('fluid first read from worker cache (page cache dropped), 263 MiB, 1 reader', `${(median(tput) / (1024 * MiB)).toFixed(2)} GiB/s`);
    {
      const m = await c.metrics(c.fuseHealth);
      const native = metricValue(m, 'fluid_fuse_read_requests_total', 'path="native"');
      const js = metricValue(m, 'fluid_fuse_read_requests_total', 'path="js"');
      row('FUSE read requests so far: served natively / by JavaScript; largest request', `${native} / ${js}; ${metricValue(m, 'fluid_fuse_max_read_request_bytes')} bytes`);
    }
    dropCaches();
    const fluidWarmDropped: number[] = [];
    for (let i = 0; i < REPS; i++) { dropCaches(); fluidWarmDropped.push(await cpR(fluidSrc, scratch)); }
    row('fluid warm cp -r (page cache dropped each time)', sec(median(fluidWarmDropped)));
    const after = await workerTotals(c);
    const fuseAfter = await fuseBytes();
    // Hit ratio by bytes the FUSE client served: from worker caches (short-circuit or remote)
    // against straight from the UFS; plus the workers' own block lookups (hits/misses).
    const cacheBytes = fuseAfter.cache - fuseBefore.cache;
    const ufsDirect = fuseAfter.ufs - fuseBefore.ufs;
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    row('warm phase: cache hit ratio (bytes read through FUSE)', cacheBytes + ufsDirect > 0
      ? `${((100 * cacheBytes) / (cacheBytes + ufsDirect)).toFixed(1)}% (${cacheBytes} bytes from worker caches, ${ufsDirect} from the UFS; worker lookups: ${hits} hits, ${misses} misses)`
      : 'n/a (no read reached the FUSE client)');
    row('warm phase: bytes fetched from the UFS (workers + fuse)', `${after.ufsBytes - before.ufsBytes + ufsDirect}`);
    await warmScope.close();

    // ---- JuiceFS mounted directly, as a peer over the same bytes
    let jfs: JuiceFSPeerResult | undefined;
    if (JUICEFS) {
      const js = new Scope();
      jfs = await juicefsPeer(js, src, base, scratch, REPS, { cpR, dropCaches, row, median, sec });
      await js.close();
    }

    // ---- rclone warm
    let rcloneWarm = Number.NaN;
    if (RCLONE) {
      process.stderr.write('rclone: cold fill, then warm cp -r...\n');
      const rs = new Scope();
      const mnt = await rcloneMount(rs, `${fast.url}hbase/`, base, 'rclone-warm');
      await cpR(mnt, scratch);
      const xs: number[] = [];
      for (let i = 0; i < REPS; i++) xs.push(await cpR(mnt, scratch));
      rcloneWarm = median(xs);
      row('rclone --vfs-cache-mode full warm cp -r', sec(rcloneWarm));
      await rs.close();
    }

    // ---- cold, nginx limit_rate 20m per connection
    if (COLD) process.stderr.write('cold runs against nginx limit_rate 20m (slow)...\n');
    const single: number[] = [];
    for (let i = 0; COLD && i < COLD_REPS; i++) {
      const dst = join(scratch, 'dl');
      mkdirSync(dst, { recursive: true });
      single.push(await timed(async () => {
        for (const [name] of FIXTURE) await run('curl', ['-sSf', '-o', join(dst, name), `${slow.url}hbase/${name}`]);
      }));
      rmSync(dst, { recursive: true, force: true });
    }
    if (COLD) row('single-stream download (curl, sequential), 20 MB/s per connection', sec(median(single)));
    const cold: number[] = [];
    for (let i = 0; COLD && i < COLD_REPS; i++) {
      const cs = new Scope();
      const cc = await startCluster(cs, { ...clusterOpts, mountPoint: `${slow.url}hbase/` });
      dropCaches();
      cold.push(await cpR(join(cc.mountPath, 'hbase'), scratch));
      await cs.close();
    }
    if (COLD) row('fluid cold cp -r, 20 MB/s per connection', sec(median(cold)));
    let rcloneCold = Number.NaN;
    if (RCLONE && COLD) {
      const rs = new Scope();
      const mnt = await rcloneMount(rs, `${slow.url}hbase/`, base, 'rclone-cold');
      rcloneCold = await cpR(mnt, scratch);
      row('rclone cold cp -r, 20 MB/s per connection', sec(rcloneCold));
      await rs.close();
    }

    process.stderr.write('cold, fast source: curl --parallel, fluid and rclone from the unlimited nginx...\n');
    const cf = await coldFast(base, scratch, `${fast.url}hbase/`, total, clusterOpts, COLD_REPS);

    process.stderr.write('small tier: data about 4x the workers\' tiers, read once...\n');
    const st = await smallTier(base, scratch, total, shm);

    const out: string[] = [];
    out.push(`\nfluid-ts cache-engine benchmark: ${FIXTURE.length} files, ${(total / MiB).toFixed(1)} MiB, reps=${REPS}, cold reps=${COLD_REPS} (medians)\n`);
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) out.push(`${k.padEnd(w)}  ${v}`);
    out.push('');
    out.push(`ratio warm fluid / local disk        = ${ratio(median(fluidWarm), median(local))}   (target <= 1.2)`);
    out.push(`ratio warm fluid / rclone warm       = ${ratio(median(fluidWarm), rcloneWarm)}   (target <= 0.5)`);
    out.push(`ratio cold fluid / single stream     = ${ratio(median(cold), median(single))}   (target <= 0.3)`);
    out.push(`ratio cold fast fluid / curl --parallel = ${ratio(cf.fluid, cf.parallel)}   (target <= 1.2)`);
    out.push(`ratio cold fast fluid / rclone       = ${ratio(cf.fluid, cf.rclone)}`);
    out.push(`cold fast engine CPU per GiB         = ${cf.cpuPerGiB.toFixed(2)} s   (target <= 1.5)`);
    out.push(`ratio cold rclone / single stream    = ${ratio(rcloneCold, median(single))}`);
    out.push(`first read from worker cache         = ${(median(tput) / (1024 * MiB)).toFixed(2)} GiB/s   (target >= 1)`);
    if (jfs) {
      out.push(`ratio warm fluid / juicefs warm      = ${ratio(median(fluidWarm), jfs.warm)}   (page cache warm)`);
      out.push(`ratio warm fluid / juicefs warm      = ${ratio(median(fluidWarmDropped), jfs.warmDropped)}   (page cache dropped: worker cache vs juicefs block cache)`);
      out.push(`juicefs cold cp -r                   = ${sec(jfs.cold)}   (local-dir bucket; not comparable with the 20 MB/s cold rows)`);
    }
    out.push(`UFS bytes / bytes read, 4x the tier  = ${st.fluid.toFixed(3)}   (target <= 1.1; direct download ${st.direct.toFixed(3)})`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await scope.close();
  }
}

runBench(main);

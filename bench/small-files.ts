// Small-files benchmark (not a test): an image-style dataset (by default 20,000 files of 16-256 KiB
// in 200 directories, from a fixed seed) served by nginx on loopback, read through fluid-ts (a real
// control plane: Dataset + AlluxioRuntime, Bound, the FUSE mount, a DataLoad) side by side in one
// run with local disk, 8 parallel curl downloads and `rclone mount --vfs-cache-mode full`.
// Prints a table and the ratios issue 17 sets as targets.
//   node dist/bench/small-files.js [--files N] [--dirs N] [--readers N] [--no-rclone] [--no-dataload]
//                                   [--juicefs-mount DIR]
// Needs root (FUSE, drop_caches), nginx, curl, kubectl and (optionally) rclone.
// JuiceFS: the JuiceFS runtime is another piece of work (its issue); until it lands, pass
// `--juicefs-mount DIR` with a JuiceFS mount of the same dataset to add its rows by hand.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tempDir, waitFor } from '../test/support/proc.js';
import { commandExists, startNginx } from '../test/support/servers.js';
import { runtimeYaml, startControlPlane, type ControlPlane } from '../test/integration/orchestration/harness.js';
import { CpuMeter, dropCaches, ratio, rcloneMount, runBench, Scope, sec, sh, timed } from './support/bench-util.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isInteger(v) && v > 0 ? v : def;
}
function strArg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const FILES = arg('--files', 20_000);
const DIRS = arg('--dirs', 200);
const READERS = arg('--readers', 8);
const RCLONE = !process.argv.includes('--no-rclone') && commandExists('rclone');
const DATALOAD = !process.argv.includes('--no-dataload');
const JUICEFS = strArg('--juicefs-mount');
const SEED = 20261202;

/**
 * Writes the dataset under `dir`: FILES files spread round-robin over DIRS directories, sizes
 * 16 KiB + 240 KiB * u^1.7 (u uniform from a fixed xorshift seed; mean about 105 KiB, like an
 * image set), incompressible content stamped per file. Returns the relative paths and total bytes.
 */
function writeDataset(dir: string): { paths: string[]; bytes: number } {
  const pattern = Buffer.allocUnsafe(4 * MiB);
  let x = SEED >>> 0;
  const next = (): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  for (let i = 0; i < pattern.length; i += 4) pattern.writeUInt32LE(next(), i);
  const paths: string[] = [];
  let bytes = 0;
  for (let d = 0; d < DIRS; d++) mkdirSync(join(dir, `n${String(d).padStart(4, '0')}`), { recursive: true, mode: 0o755 });
  for (let f = 0; f < FILES; f++) {
    const size = 16 * KiB + Math.floor(240 * KiB * Math.pow(next() / 0x1_0000_0000, 1.7));
    const rel = `n${String(f % DIRS).padStart(4, '0')}/img_${String(f).padStart(6, '0')}.jpg`;
    const start = next() % (pattern.length - size);
    const fd = openSync(join(dir, rel), 'w', 0o644);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(f, 0);
    head.writeUInt32LE(size, 4);
    writeSync(fd, head);
    let w = 8;
    while (w < size) w += writeSync(fd, pattern, start + w, size - w);
    closeSync(fd);
    paths.push(rel);
    bytes += size;
  }
  return { paths, bytes };
}

const rows: [string, string][] = [];
function row(label: string, value: string): void {
  rows.push([label, value]);
  process.stderr.write(`  ${label}: ${value}\n`);
}
const rate = (files: number, s: number): string => `${sec(s)} (${Math.round(files / s)} files/s)`;

/** `find ROOT -type f -printf '%s\n'` (a stat of every file), output discarded. */
function findStat(root: string): Promise<number> {
  return timed(() => sh(`find '${root}' -type f -printf '%s\\n' > /dev/null`));
}
/** Every file under ROOT read once by READERS parallel `cat`s (64 files each). */
function readAll(root: string): Promise<number> {
  return timed(() => sh(`find '${root}' -type f -print0 | xargs -0 -P${READERS} -n 64 cat > /dev/null`));
}

/** The engine processes of the control plane's pods, from their pid files (pods/<ns>/<pod>/<container>.pid). */
function enginePids(cp: ControlPlane): [string, number | undefined][] {
  const out: [string, number | undefined][] = [];
  const root = join(cp.home, 'pods', 'default');
  if (!existsSync(root)) return out;
  for (const pod of readdirSync(root).sort()) {
    for (const f of readdirSync(join(root, pod))) {
      if (!f.endsWith('.pid')) continue;
      const pid = Number(readFileSync(join(root, pod, f), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) out.push([pod, pid]);
    }
  }
  return out;
}

/** A Dataset over `url` (one mount, imgs) and its AlluxioRuntime: 2 workers, one MEM tier of `quota` each. */
function datasetYaml(name: string, url: string, quota: string): string {
  const dataset = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'Dataset', metadata: { name }, spec: { mounts: [{ mountPoint: url, name: 'imgs' }] } };
  return `${stringify(dataset)}${runtimeYaml(name, 2, 'MEM', quota)}`;
}

async function waitPhase(cp: ControlPlane, what: string[], path: (o: Record<string, unknown>) => unknown, want: string, timeoutMs: number): Promise<void> {
  await waitFor(`${what.join(' ')} ${want}`, () => {
    const o = cp.json<Record<string, unknown>>(['get', ...what]);
    const v = o ? path(o) : undefined;
    if (v === 'Failed') throw new Error(`${what.join(' ')} failed: ${JSON.stringify(o?.['status'])}`);
    return v === want;
  }, timeoutMs, 100);
}
const statusPhase = (o: Record<string, unknown>): unknown => (o['status'] as Record<string, unknown> | undefined)?.['phase'];

/** Creates Dataset + AlluxioRuntime `name` and waits until Bound; returns the seconds it took and the mount path. */
async function bind(cp: ControlPlane, name: string, url: string, quota: string): Promise<{ s: number; root: string }> {
  const s = await timed(async () => {
    cp.k(['create', '-f', '-'], datasetYaml(name, url, quota));
    await waitPhase(cp, ['dataset', name], statusPhase, 'Bound', 300_000);
  });
  const mnt = cp.fluid(['mount-path', name]).stdout.trim();
  if (!mnt) throw new Error(`fluid mount-path ${name} printed nothing`);
  return { s, root: join(mnt, 'imgs') };
}

async function main(): Promise<void> {
  const scope = new Scope();
  process.once('SIGINT', () => { void scope.close().then(() => process.exit(130)); });
  try {
    if (!commandExists('curl')) throw new Error('curl is needed for the download baseline');
    const base = tempDir(scope, 'fluid-bench-small-');
    chmodSync(base, 0o755);
    const src = join(base, 'imgs');
    mkdirSync(src, { mode: 0o755 });
    process.stderr.write(`building the dataset (${FILES} files in ${DIRS} directories, seed ${SEED})...\n`);
    const { paths, bytes } = writeDataset(src);
    const gib = bytes / (1024 * MiB);
    const nginx = await startNginx(scope, base);
    const url = `${nginx.url}imgs/`;
    const quota = `${Math.ceil((bytes / 2) * 1.3 / MiB)}Mi`; // each of the 2 workers: its half plus room

    // ---- local disk
    process.stderr.write('local disk...\n');
    dropCaches();
    const localFindCold = await findStat(src);
    const localFindWarm = await findStat(src);
    dropCaches();
    const localCold = await readAll(src);
    const localWarm = await readAll(src);
    row('local disk: find + stat, after drop_caches | warm', `${sec(localFindCold)} | ${sec(localFindWarm)}`);
    row(`local disk: read all, ${READERS} readers, after drop_caches`, rate(FILES, localCold));
    row(`local disk: read all, ${READERS} readers, page cache warm`, rate(FILES, localWarm));

    // ---- direct download: READERS curls, each fetching its share over one keep-alive connection
    const urls = join(base, 'urls.txt');
    writeFileSync(urls, paths.map((p) => `${url}${p}\n`).join(''));
    const curl = await timed(() => sh(`xargs -a '${urls}' -P${READERS} -n 64 curl -sSf > /dev/null`));
    row(`${READERS} parallel curl of every file`, rate(FILES, curl));

    // ---- rclone
    let rcloneFind = Number.NaN; let rcloneCold = Number.NaN; let rcloneMountS = Number.NaN;
    if (RCLONE) {
      process.stderr.write('rclone mount --vfs-cache-mode full...\n');
      const rs = new Scope();
      let mnt = '';
      rcloneMountS = await timed(async () => { mnt = await rcloneMount(rs, url, base, 'rclone'); });
      dropCaches();
      const rFindCold = await findStat(mnt);
      rcloneFind = await findStat(mnt);
      dropCaches();
      rcloneCold = await readAll(mnt);
      const rWarm = await readAll(mnt);
      row('rclone: mount until mounted', sec(rcloneMountS));
      row('rclone: find + stat, first (cold) | warm', `${sec(rFindCold)} | ${sec(rcloneFind)}`);
      row(`rclone: cold read all, ${READERS} readers`, rate(FILES, rcloneCold));
      row(`rclone: read all, ${READERS} readers, page cache warm`, rate(FILES, rWarm));
      await rs.close();
    }

    // ---- JuiceFS (hook; see the file comment)
    if (JUICEFS) {
      dropCaches();
      const jFind = await findStat(JUICEFS);
      dropCaches();
      const jCold = await readAll(JUICEFS);
      row('juicefs (given mount): find + stat after drop_caches', sec(jFind));
      row(`juicefs (given mount): read all, ${READERS} readers, after drop_caches`, rate(FILES, jCold));
    } else {
      row('juicefs', 'not measured: the JuiceFS runtime is a separate issue; pass --juicefs-mount DIR to add its rows');
    }

    // ---- fluid-ts: a control plane, a Dataset + AlluxioRuntime over nginx
    process.stderr.write('fluid up; Dataset + AlluxioRuntime...\n');
    const cp = startControlPlane(scope);
    const bound = await bind(cp, 'imgs', url, quota);
    row('fluid: create Dataset + AlluxioRuntime until Bound', sec(bound.s));
    const root = bound.root;
    dropCaches();
    const fFindCold = await findStat(root);
    const fFindWarm = await findStat(root);
    row('fluid: find + stat, first after drop_caches | warm', `${sec(fFindCold)} | ${sec(fFindWarm)}`);
    const procs = enginePids(cp);
    dropCaches();
    let cpu = new CpuMeter(procs);
    const fCold = await readAll(root);
    const coldCpu = cpu.report();
    row(`fluid: cold read all, ${READERS} readers`, rate(FILES, fCold));
    row('  CPU seconds during it, by process', coldCpu.text);
    cpu = new CpuMeter(procs);
    const fWarm = await readAll(root);
    row(`fluid: read all, ${READERS} readers, page cache warm`, rate(FILES, fWarm));
    row('  CPU seconds during it, by process', cpu.report().text);
    dropCaches();
    cpu = new CpuMeter(procs);
    const fWorker = await readAll(root);
    row(`fluid: read all, ${READERS} readers, from the worker cache after drop_caches`, rate(FILES, fWorker));
    row('  CPU seconds during it, by process', cpu.report().text);
    dropCaches();
    const fFindDropped = await findStat(root);
    row('fluid: find + stat after drop_caches (metadata cached in the client)', sec(fFindDropped));

    // ---- DataLoad into a second, empty runtime over the same files
    let load = Number.NaN;
    if (DATALOAD) {
      process.stderr.write('DataLoad of the whole dataset into a second runtime...\n');
      cp.k(['delete', 'alluxioruntime', 'imgs', '--wait=true', '--timeout=120s']);
      await bind(cp, 'imgs2', url, quota);
      load = await timed(async () => {
        const dataload = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'DataLoad', metadata: { name: 'imgs2-load' }, spec: { dataset: { name: 'imgs2', namespace: 'default' } } };
        cp.k(['create', '-f', '-'], JSON.stringify(dataload));
        await waitPhase(cp, ['dataload', 'imgs2-load'], statusPhase, 'Complete', 600_000);
      });
      const st = cp.json<{ status?: { duration?: string } }>(['get', 'dataload', 'imgs2-load']);
      row('fluid: DataLoad of the whole dataset (create until Complete)', `${rate(FILES, load)}; status.duration ${st?.status?.duration ?? '?'}`);
    }

    const out: string[] = [];
    out.push(`\nfluid-ts small-files benchmark: ${FILES} files in ${DIRS} directories, ${gib.toFixed(2)} GiB, seed ${SEED}, ${READERS} readers`);
    out.push(`(one run of each; machine: ${spawnSync('nproc').stdout.toString().trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end)\n`);
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) out.push(`${k.padEnd(w)}  ${v}`);
    out.push('');
    out.push(`ratio cold fluid / ${READERS} parallel curl          = ${ratio(fCold, curl)}   (target <= 1.5)`);
    out.push(`ratio cold fluid / rclone cold                = ${ratio(fCold, rcloneCold)}   (target <= 0.5)`);
    out.push(`ratio warm (page cache) fluid / local disk    = ${ratio(fWarm, localWarm)}   (target <= 1.5)`);
    out.push(`ratio worker cache fluid / local after drop   = ${ratio(fWorker, localCold)}   (target <= 2)`);
    out.push(`ratio DataLoad / cold ${READERS}-reader read          = ${ratio(load, fCold)}   (target <= 1.5)`);
    out.push(`ratio find fluid (warm) / rclone find (warm)  = ${ratio(fFindWarm, rcloneFind)}   (target <= 1)`);
    out.push(`ratio find fluid (first) / rclone find (warm) = ${ratio(fFindCold, rcloneFind)}`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await scope.close();
  }
}

runBench(main);

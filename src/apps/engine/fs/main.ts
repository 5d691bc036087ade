// `fluid engine fs --masters host:port[,host:port] --token-file FILE ls|stat|cat|load|count PATH`:
// inspection and preloading of a dataset through the masters' RPC. Paths are dataset-root paths
// ("/hbase/dir"). FILE is a 0600 file holding the runtime's engine token (the `token` key of Secret
// <runtime>-engine-token); it is required, as every engine RPC is authenticated.
//   ls     like `ls -l` (one line per entry; a file path prints itself)
//   stat   the path's status as key: value lines
//   cat    the file's bytes on stdout (read through the workers, each block from any live worker)
//   load   caches every block under PATH in the workers; progress on stderr
//   count  files, directories and bytes under PATH (like `alluxio fs count`)
import { blockRefOf } from '../../../core/blockstore/block-id.js';
import type { BlockRef, FileStatus } from '../../../api/engine-rpc.js';
import { UsageError } from '../../../core/errors.js';
import { MasterClient } from '../../../adapters/engine-client/master-client.js';
import { WorkerClient } from '../../../adapters/engine-client/worker-client.js';
import { EngineCredential } from '../../../adapters/rpc/engine-credential.js';
import { formatFsLs, formatBytes } from './format.js';

const USAGE = 'usage: fluid engine fs --masters host:port[,host:port] --token-file FILE ls|stat|cat|load|count PATH';

function normalise(path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0 && p !== '.');
  if (parts.includes('..')) throw new UsageError(`PATH must not contain "..": ${path}`);
  return `/${parts.join('/')}`;
}

/** Stable FNV-1a hash: a block always goes to the same worker while the worker set is unchanged. */
function spread(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

async function walk(master: MasterClient, path: string, visit: (st: FileStatus) => void | Promise<void>): Promise<void> {
  const st = await master.getStatus(path);
  await visit(st);
  if (st.kind !== 'directory') return;
  for (const e of (await master.listStatus(path)).entries) {
    if (e.kind === 'directory') await walk(master, e.path, visit);
    else await visit(e);
  }
}

async function cat(master: MasterClient, path: string): Promise<void> {
  const info = await master.getBlockInfo(path);
  const { workers } = await master.workers();
  if (workers.length === 0 && info.size > 0) throw new Error('no live worker to read from');
  for (const b of info.blocks) {
    const ref: BlockRef = blockRefOf(info, b);
    const order = [...b.locations.map((l) => l.address), ...workers.map((w) => w.address)];
    let last: unknown;
    let bytes: Buffer | undefined;
    for (const addr of [...new Set(order)]) {
      try {
        bytes = (await new WorkerClient(addr, master.credential).readBlock(ref)).bytes;
        if (bytes.length !== b.length) throw new Error(`worker ${addr} returned ${bytes.length} of ${b.length} bytes`);
        break;
      } catch (err) {
        last = err;
        bytes = undefined;
      }
    }
    if (!bytes) throw new Error(`cannot read block ${b.index} of ${path}: ${last instanceof Error ? last.message : String(last)}`);
    const chunk = bytes;
    await new Promise<void>((resolve, reject) => process.stdout.write(chunk, (err) => (err ? reject(err) : resolve())));
  }
}

async function load(master: MasterClient, path: string): Promise<number> {
  const { workers } = await master.workers();
  if (workers.length === 0) throw new Error('no live worker to load into');
  await master.loadMetadata(path, true);
  const files: FileStatus[] = [];
  await walk(master, path, (st) => { if (st.kind === 'file') files.push(st); });
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  let doneFiles = 0;
  let doneBytes = 0;
  let fetched = 0;
  const failures: string[] = [];
  const progress = (): void => {
    process.stderr.write(`\rloaded ${doneFiles}/${files.length} files, ${formatBytes(doneBytes)}/${formatBytes(totalBytes)}`);
  };
  progress();
  let next = 0;
  // A few files at a time; each worker fills its blocks with its own parallelism.
  const lanes = Math.min(4, files.length);
  await Promise.all(Array.from({ length: lanes }, async () => {
    for (;;) {
      const f = files[next++];
      if (!f) return;
      const info = await master.getBlockInfo(f.path);
      await Promise.all(info.blocks.map(async (b) => {
        if (b.locations.length > 0) return;
        const w = workers[spread(b.blockId) % workers.length];
        if (!w) return;
        const ref: BlockRef = blockRefOf(info, b);
        try {
          const r = await new WorkerClient(w.address, master.credential).loadBlocks([ref]);
          fetched += r.bytesFetched;
          for (const x of r.failed) failures.push(`${f.path} block ${b.index}: ${x.reason}`);
        } catch (err) {
          failures.push(`${f.path} block ${b.index}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }));
      doneFiles += 1;
      doneBytes += f.size;
      progress();
    }
  }));
  process.stderr.write('\n');
  for (const f of failures) process.stderr.write(`load failed: ${f}\n`);
  process.stdout.write(`loaded ${files.length} files, ${formatBytes(totalBytes)} (${formatBytes(fetched)} fetched from the under storage)\n`);
  return failures.length === 0 ? 0 : 1;
}

export async function run(args: string[]): Promise<number> {
  let masters: string[] | undefined;
  let tokenFile: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--masters') masters = (args[++i] ?? '').split(',').filter((s) => s.length > 0);
    else if (a.startsWith('--masters=')) masters = a.slice('--masters='.length).split(',').filter((s) => s.length > 0);
    else if (a === '--token-file') tokenFile = args[++i];
    else if (a.startsWith('--token-file=')) tokenFile = a.slice('--token-file='.length);
    else rest.push(a);
  }
  const [cmd, rawPath] = rest;
  if (!masters || masters.length === 0) throw new UsageError(`--masters is required; ${USAGE}`);
  if (!tokenFile) throw new UsageError(`--token-file is required (a 0600 file with the runtime's engine token, key "token" of Secret <runtime>-engine-token); ${USAGE}`);
  if (!cmd || rawPath === undefined) throw new UsageError(USAGE);
  const path = normalise(rawPath);
  const master = new MasterClient(masters, { credential: EngineCredential.fromFile(tokenFile, '--token-file'), failoverTimeoutMs: 15_000 });
  switch (cmd) {
    case 'ls': {
      const st = await master.getStatus(path);
      const entries = st.kind === 'directory' ? (await master.listStatus(path)).entries : [st];
      process.stdout.write(formatFsLs(entries));
      return 0;
    }
    case 'stat': {
      const st = await master.getStatus(path);
      const lines = [`path: ${st.path}`, `type: ${st.kind}`, `size: ${st.size}`, `mtime: ${st.mtimeMs > 0 ? new Date(st.mtimeMs).toISOString() : '-'}`, `fingerprint: ${st.fingerprint || '-'}`];
      if (st.kind === 'file') {
        const info = await master.getBlockInfo(path);
        const cached = info.blocks.filter((b) => b.locations.length > 0).reduce((n, b) => n + b.length, 0);
        lines.push(`blockSize: ${info.blockSize}`, `blocks: ${info.blocks.length}`, `cached: ${cached} (${info.size > 0 ? Math.round((100 * cached) / info.size) : 100}%)`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    case 'cat':
      await cat(master, path);
      return 0;
    case 'load':
      return load(master, path);
    case 'count': {
      let files = 0;
      let dirs = 0;
      let bytes = 0;
      await walk(master, path, (st) => {
        if (st.kind === 'directory') dirs += 1;
        else { files += 1; bytes += st.size; }
      });
      process.stdout.write(`${'File Count'.padEnd(16)}${'Folder Count'.padEnd(16)}Total Bytes\n${String(files).padEnd(16)}${String(dirs).padEnd(16)}${bytes}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown fs command "${cmd}"; ${USAGE}`);
  }
}

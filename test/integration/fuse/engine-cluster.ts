// Starts a real cache-engine cluster for the FUSE tests: one master, N workers and a FUSE mount,
// each as a `fluid engine ...` process from the compiled tree under test, over a given UFS URI.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineCredential } from '../../../src/adapters/rpc/engine-credential.js';
import { sharedToken } from '../../support/engine-token.js';
import { type Cleanup, freePort, startFluid, tempDir, unmountQuietly, waitFor, type Proc } from '../../support/proc.js';

export interface ClusterOptions {
  readonly mountName: string;
  readonly mountPoint: string;
  /** The mount's options and encryptOptions files (name -> path of a 0600 file). */
  readonly mountOptions?: Record<string, string>;
  readonly encryptOptionFiles?: Record<string, string>;
  readonly workers?: number;
  /** Per-worker tier quota in bytes. */
  readonly quota?: number;
  /** The workers' tier medium (default MEM). */
  readonly medium?: 'MEM' | 'SSD' | 'HDD';
  readonly blockSize?: number;
  readonly fuseProperties?: Record<string, string>;
  readonly workerProperties?: Record<string, string>;
  /** Parent directory of the workers' MEM tier dirs (default: the cluster's temp dir). */
  readonly tierRoot?: string;
  /** The engine token file every process is configured with (default: the test process's shared one). */
  readonly tokenFile?: string;
}

export interface Cluster {
  readonly dir: string;
  readonly masterAddress: string;
  readonly master: Proc;
  readonly workers: { id: string; address: string; proc: Proc; tierDir: string }[];
  /** Absolute mount path of the FUSE client; the dataset is under join(mountPath, mountName). */
  readonly mountPath: string;
  readonly fuse: Proc;
  readonly fuseHealth: string;
  metrics(address: string): Promise<string>;
}

/** The Authorization header value for the token in `file`. */
function tokenOf(file: string): string {
  return EngineCredential.fromFile(file).authorization();
}

async function ready(p: Proc, marker: string, what: string): Promise<void> {
  await waitFor(what, () => {
    if (p.child.exitCode !== null) throw new Error(`${what} exited: ${p.output()}`);
    return p.output().includes(marker);
  }, 60_000);
}

export async function startCluster(t: Cleanup, opts: ClusterOptions): Promise<Cluster> {
  const dir = tempDir(t, 'fluid-fuse-');
  const mounts = [{ name: opts.mountName, mountPoint: opts.mountPoint, options: opts.mountOptions ?? {}, encryptOptionFiles: opts.encryptOptionFiles ?? {} }];
  const tokenFile = opts.tokenFile ?? sharedToken().file;
  const masterPort = await freePort();
  const masterAddress = `127.0.0.1:${masterPort}`;
  const blockProps = { 'fluid.worker.block.size': String(opts.blockSize ?? 1024 * 1024) };
  writeFileSync(join(dir, 'master.json'), JSON.stringify({
    id: 'm0', host: '127.0.0.1', port: masterPort, mounts, peers: [], journalDir: join(dir, 'journal'), tokenFile, properties: blockProps,
  }));
  const master = startFluid(t, ['engine', 'master', '--config', join(dir, 'master.json')]);
  await ready(master, 'MASTER_READY', 'master');
  const workers: Cluster['workers'] = [];
  for (let i = 0; i < (opts.workers ?? 2); i++) {
    const port = await freePort();
    const tierDir = opts.tierRoot ? mkdtempSync(join(opts.tierRoot, `fluid-w${i}-`)) : join(dir, `w${i}-mem`);
    if (opts.tierRoot) t.after(() => rmSync(tierDir, { recursive: true, force: true }));
    mkdirSync(tierDir, { recursive: true });
    const cfgFile = join(dir, `worker-${i}.json`);
    writeFileSync(cfgFile, JSON.stringify({
      id: `w${i}`, host: '127.0.0.1', port, masters: [masterAddress], mounts, tokenFile,
      tiers: [{ mediumtype: opts.medium ?? 'MEM', paths: [tierDir], quotas: [opts.quota ?? 256 * 1024 * 1024], high: 0.95, low: 0.7 }],
      properties: { ...blockProps, 'fluid.worker.heartbeat.interval': '300ms', ...opts.workerProperties },
    }));
    const proc = startFluid(t, ['engine', 'worker', '--config', cfgFile]);
    await ready(proc, 'WORKER_READY', `worker w${i}`);
    workers.push({ id: `w${i}`, address: `127.0.0.1:${port}`, proc, tierDir });
  }
  // The mount point lives outside `dir`: cleanup hooks run in registration order, and `dir` is
  // removed first, which must not walk into (or trip over) a live mount.
  const mountPath = join(mkdtempSync(join(tmpdir(), 'fluid-fuse-mnt-')), 'mnt');
  const fusePort = await freePort();
  writeFileSync(join(dir, 'fuse.json'), JSON.stringify({
    id: 'fuse0', host: '127.0.0.1', port: fusePort, masters: [masterAddress], mountPath, tokenFile, mounts, properties: opts.fuseProperties ?? {},
  }));
  const fuse = startFluid(t, ['engine', 'fuse', '--config', join(dir, 'fuse.json')]);
  // Registered after the process (hooks run in order): the process is gone when this runs.
  t.after(() => {
    unmountQuietly(mountPath);
    rmSync(join(mountPath, '..'), { recursive: true, force: true });
  });
  await ready(fuse, 'FUSE_READY', 'fuse mount');
  // Both workers registered before reads start (so reads spread over them).
  await waitFor('workers registered', async () => {
    const res = await fetch(`http://${masterAddress}/rpc/workers`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', authorization: tokenOf(tokenFile) } });
    const body = await res.json() as { workers?: unknown[] };
    if (!body.workers) throw new Error(`workers: HTTP ${res.status} ${JSON.stringify(body)}`);
    return body.workers.length === workers.length;
  }, 30_000);
  return {
    dir, masterAddress, master, workers, mountPath, fuse, fuseHealth: `127.0.0.1:${fusePort}`,
    async metrics(address: string) { return (await fetch(`http://${address}/metrics`)).text(); },
  };
}

/** Value of a Prometheus sample line `name{labels} value` (labels given exactly, or none). */
export function metricValue(text: string, name: string, labels = ''): number {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : Number.NaN;
}

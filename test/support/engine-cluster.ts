// Starts real cache-engine processes (`fluid engine master|worker --config FILE`) for integration
// tests. Every process is SIGKILLed at test end (via start()'s cleanup) and its temp dirs removed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineMount, MasterConfig, TierLevel, WorkerConfig } from '../../src/api/engine-config.js';
import type { FileBlockInfo, FileStatus } from '../../src/api/engine-rpc.js';
import { MasterClient, WorkerClient } from '../../src/adapters/engine-client/index.js';
import { blockRefOf } from '../../src/core/blockstore/block-id.js';
import { type Cleanup, freePort, startFluid, tempDir, waitFor, type Proc } from './proc.js';
import { sharedToken } from './engine-token.js';

export interface EngineProc {
  readonly id: string;
  readonly address: string;
  readonly proc: Proc;
  readonly configFile: string;
  /** Starts the process again with the same config (after it exited or was killed). */
  restart(): Promise<EngineProc>;
}

async function healthz(address: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://${address}/healthz`, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: await r.text() };
}

/** Waits for /healthz to answer 200 (or just to answer at all with `anyStatus`). */
export async function waitHealthy(address: string, proc: Proc, anyStatus = false, timeoutMs = 60_000): Promise<void> {
  await waitFor(`${address}/healthz${anyStatus ? '' : ' = 200'}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`process exited: ${proc.output().slice(-2000)}`);
    const h = await healthz(address);
    return anyStatus || h.status === 200;
  }, timeoutMs, 100);
}

export { healthz };

function launch(t: Cleanup, kind: 'master' | 'worker', id: string, address: string, configFile: string, waitOk: boolean): Promise<EngineProc> {
  const go = async (): Promise<EngineProc> => {
    const proc = startFluid(t, ['engine', kind, '--config', configFile]);
    await waitHealthy(address, proc, !waitOk);
    return { id, address, proc, configFile, restart: go };
  };
  return go();
}

export async function startMaster(t: Cleanup, opts: { id?: string; mounts: EngineMount[]; properties?: Record<string, string>; waitOk?: boolean; tokenFile?: string }): Promise<EngineProc> {
  const dir = tempDir(t, 'fluid-master-');
  const port = await freePort();
  const id = opts.id ?? 'master-0';
  const cfg: MasterConfig = {
    id, host: '127.0.0.1', port, mounts: opts.mounts, peers: [], journalDir: join(dir, 'journal'), tokenFile: opts.tokenFile ?? sharedToken().file,
    properties: { 'fluid.master.worker.timeout': '3s', ...opts.properties },
  };
  const file = join(dir, 'master.json');
  writeFileSync(file, JSON.stringify(cfg));
  return launch(t, 'master', id, `127.0.0.1:${port}`, file, opts.waitOk ?? true);
}

export async function startWorker(t: Cleanup, opts: {
  id: string; masters: string[]; mounts: EngineMount[]; tiers?: (dir: string) => TierLevel[]; properties?: Record<string, string>; tokenFile?: string;
}): Promise<EngineProc & { dir: string }> {
  const dir = tempDir(t, `fluid-${opts.id}-`);
  const port = await freePort();
  const tiers = opts.tiers?.(dir) ?? [{ mediumtype: 'MEM' as const, paths: [join(dir, 'mem')], quotas: [512 * 1024 * 1024], high: 0.95, low: 0.7 }];
  const cfg: WorkerConfig = {
    id: opts.id, host: '127.0.0.1', port, masters: opts.masters, mounts: opts.mounts, tiers, tokenFile: opts.tokenFile ?? sharedToken().file,
    properties: { 'fluid.worker.heartbeat.interval': '300ms', ...opts.properties },
  };
  const file = join(dir, 'worker.json');
  writeFileSync(file, JSON.stringify(cfg));
  return { ...(await launch(t, 'worker', opts.id, `127.0.0.1:${port}`, file, true)), dir };
}

export function mount(name: string, mountPoint: string): EngineMount {
  return { name, mountPoint, options: {}, encryptOptionFiles: {} };
}

/** Every entry below `path` on the master, depth first (a directory before its children). */
export async function listTree(mc: MasterClient, path: string): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  for (const e of (await mc.listStatus(path)).entries) {
    out.push(e);
    if (e.kind === 'directory') out.push(...await listTree(mc, e.path));
  }
  return out;
}

/**
 * Reads a whole file block by block through workers (block i from workers[i % n]); returns the
 * bytes and each block's cache outcome. A block answered with the wrong length is an error.
 */
export async function readBlocks(info: FileBlockInfo, workers: readonly WorkerClient[]): Promise<{ bytes: Buffer; outcomes: string[] }> {
  const parts: Buffer[] = [];
  const outcomes: string[] = [];
  for (const b of info.blocks) {
    const w = workers[b.index % workers.length] as WorkerClient;
    const r = await w.readBlock(blockRefOf(info, b));
    if (r.bytes.length !== b.length) throw new Error(`block ${b.index} of ${info.ufsPath}: ${r.bytes.length} bytes, expected ${b.length}`);
    parts.push(r.bytes);
    outcomes.push(r.cache);
  }
  return { bytes: Buffer.concat(parts), outcomes };
}

/** A master client presenting the shared test credential. */
export function masterClient(addresses: readonly string[], opts: { failoverTimeoutMs?: number; attemptTimeoutMs?: number } = {}): MasterClient {
  return new MasterClient(addresses, { ...opts, credential: sharedToken().credential });
}

/** A worker client presenting the shared test credential. */
export function workerClient(address: string): WorkerClient {
  return new WorkerClient(address, sharedToken().credential);
}

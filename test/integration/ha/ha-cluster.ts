// Starts a group of real masters (`fluid engine master --config FILE`) sharing a peers list, each
// with its own journal directory, for the HA tests. Processes are SIGKILLed at test end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineMount, MasterConfig } from '../../../src/api/engine-config.js';
import type { MasterInfo } from '../../../src/api/engine-rpc.js';
import { callRpc } from '../../../src/adapters/rpc/rpc-client.js';
import { sharedToken } from '../../support/engine-token.js';
import { type Cleanup, freePort, startFluid, tempDir, waitFor, type Proc } from '../../support/proc.js';

export interface HaMaster {
  readonly id: string;
  readonly address: string;
  readonly journalDir: string;
  proc: Proc | undefined;
  start(): void;
  kill(): Promise<void>;
}

export interface HaCluster {
  readonly masters: HaMaster[];
  readonly addresses: string[];
  byAddress(address: string): HaMaster;
  /** Waits until some live master reports a leader that answers masterInfo as leader. */
  leader(timeoutMs?: number): Promise<HaMaster>;
}

export async function startHaCluster(t: Cleanup, opts: { size: number; mounts: EngineMount[]; properties?: Record<string, string> }): Promise<HaCluster> {
  const dir = tempDir(t, 'fluid-ha-');
  const ports = await Promise.all(Array.from({ length: opts.size }, () => freePort()));
  const peers = ports.map((p, i) => ({ id: `m-${i}`, address: `127.0.0.1:${p}` }));
  const masters: HaMaster[] = peers.map((peer, i) => {
    const journalDir = join(dir, `journal-${i}`);
    const cfg: MasterConfig = {
      id: peer.id, host: '127.0.0.1', port: ports[i]!, mounts: opts.mounts, peers, journalDir, tokenFile: sharedToken().file,
      properties: { 'fluid.master.worker.timeout': '10min', ...opts.properties },
    };
    const file = join(dir, `master-${i}.json`);
    writeFileSync(file, JSON.stringify(cfg));
    const m: HaMaster = {
      id: peer.id, address: peer.address, journalDir, proc: undefined,
      start() { m.proc = startFluid(t, ['engine', 'master', '--config', file]); },
      async kill() { await m.proc?.kill('SIGKILL'); m.proc = undefined; },
    };
    return m;
  });
  for (const m of masters) m.start();
  const cluster: HaCluster = {
    masters,
    addresses: peers.map((p) => p.address),
    byAddress(address) {
      const m = masters.find((x) => x.address === address);
      if (!m) throw new Error(`no master at ${address}`);
      return m;
    },
    async leader(timeoutMs = 30_000) {
      return waitFor('a Raft leader', async () => {
        for (const m of masters) {
          if (!m.proc) continue;
          const info = await callRpc<MasterInfo>(m.address, 'masterInfo', {}, { timeoutMs: 1000, credential: sharedToken().credential }).catch(() => undefined);
          const addr = info?.leader?.address;
          if (!addr) continue;
          const l = masters.find((x) => x.address === addr);
          if (!l?.proc) continue;
          const h = await fetch(`http://${addr}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
          const self = await callRpc<MasterInfo>(addr, 'masterInfo', {}, { timeoutMs: 1000, credential: sharedToken().credential }).catch(() => undefined);
          if (h?.status === 200 && self?.leader?.address === addr) return l;
        }
        return undefined;
      }, timeoutMs, 100);
    },
  };
  return cluster;
}

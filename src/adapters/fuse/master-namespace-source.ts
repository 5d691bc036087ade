// NamespaceSource over the master's RPC (getStatus / listStatus on dataset-root paths). When no
// master answers, it falls back to the under storage directly so that an already-mounted dataset
// stays browsable during a master failover.
import type { FileStatus } from '../../api/engine-rpc.js';
import { UfsNotFoundError } from '../../core/ufs/ufs-errors.js';
import type { UfsEntry } from '../../core/ufs/ufs.js';
import type { MasterClient } from '../engine-client/master-client.js';
import { RpcRemoteError } from '../rpc/rpc-errors.js';
import type { NamespaceSource } from './namespace-source.js';
import type { DatasetLayout } from '../../core/fuse/dataset-path.js';

function toEntry(s: FileStatus): UfsEntry {
  return { name: s.name, kind: s.kind, size: s.size, mtimeMs: s.mtimeMs, fingerprint: s.fingerprint };
}

export class MasterNamespaceSource implements NamespaceSource {
  /** After an unreachable master, go straight to the fallback until this time (ms). */
  private masterDownUntil = 0;

  /** `layout`: where each mount appears in the dataset tree (the master's RPCs take dataset paths). */
  constructor(private readonly master: MasterClient, private readonly fallback: NamespaceSource | undefined, private readonly layout: DatasetLayout) {}

  async stat(mount: string, ufsPath: string): Promise<UfsEntry> {
    return this.call(mount, ufsPath, async (p) => toEntry(await this.master.getStatus(p)), (f) => f.stat(mount, ufsPath));
  }

  async list(mount: string, ufsPath: string): Promise<UfsEntry[]> {
    return this.call(mount, ufsPath, async (p) => (await this.master.listStatus(p)).entries.map(toEntry), (f) => f.list(mount, ufsPath));
  }

  private async call<T>(mount: string, ufsPath: string, viaMaster: (p: string) => Promise<T>, viaUfs: (f: NamespaceSource) => Promise<T>): Promise<T> {
    if (this.fallback && Date.now() < this.masterDownUntil) return viaUfs(this.fallback);
    try {
      return await viaMaster(this.layout.datasetPath(mount, ufsPath));
    } catch (err) {
      if (err instanceof RpcRemoteError) {
        if (err.code === 'NotFound' || err.code === 'UfsNotFound') throw new UfsNotFoundError(`${mount}:${ufsPath}`, { cause: err });
        throw err;
      }
      if (!this.fallback) throw err;
      this.masterDownUntil = Date.now() + 5_000;
      return viaUfs(this.fallback);
    }
  }
}

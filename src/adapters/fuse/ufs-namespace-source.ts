// NamespaceSource over the mounts' under storage directly (no master).
import type { Ufs, UfsEntry } from '../../core/ufs/ufs.js';
import { UfsNotFoundError } from '../../core/ufs/ufs-errors.js';
import type { NamespaceSource } from './namespace-source.js';

export class UfsNamespaceSource implements NamespaceSource {
  constructor(private readonly ufsByMount: ReadonlyMap<string, Ufs>) {}

  private ufs(mount: string, ufsPath: string): Ufs {
    const u = this.ufsByMount.get(mount);
    if (!u) throw new UfsNotFoundError(`${mount}:${ufsPath}`);
    return u;
  }

  async stat(mount: string, ufsPath: string): Promise<UfsEntry> {
    return this.ufs(mount, ufsPath).stat(ufsPath);
  }

  async list(mount: string, ufsPath: string): Promise<UfsEntry[]> {
    return this.ufs(mount, ufsPath).list(ufsPath);
  }
}

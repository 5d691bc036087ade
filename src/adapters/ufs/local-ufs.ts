// local:// connector: a directory on this machine, read with node:fs.
// Fingerprint = "<mtimeMs>-<size>", which changes whenever the file is rewritten.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { UfsEntry, UfsPath, WritableUfs } from '../../core/ufs/ufs.js';
import {
  UfsAccessDeniedError, UfsChangedError, UfsInvalidPathError, UfsNotFoundError, UfsUnavailableError,
} from '../../core/ufs/ufs-errors.js';
import { checkReadRange, normalizeUfsPath, ufsBaseName } from '../../core/ufs/ufs-path.js';
import { throwIfAborted } from './internal/abort.js';

export class LocalUfs implements WritableUfs {
  /** @param root absolute directory that is the mount root */
  constructor(private readonly root: string) {}

  async list(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry[]> {
    const p = normalizeUfsPath(path);
    throwIfAborted(signal);
    const dirStat = await this.lstatFollow(p);
    if (!dirStat.isDirectory()) throw new UfsInvalidPathError(p, 'is not a directory');
    let names: string[];
    try {
      names = await readdir(this.abs(p));
    } catch (err) {
      throw mapFsError(p, err);
    }
    const out: UfsEntry[] = [];
    for (const name of names.sort()) {
      throwIfAborted(signal);
      let st: Stats;
      try {
        st = await stat(join(this.abs(p), name));
      } catch {
        continue; // vanished or a dangling symlink: not listable
      }
      if (!st.isFile() && !st.isDirectory()) continue; // sockets, fifos, devices
      out.push(entryOf(name, st));
    }
    return out;
  }

  async stat(path: UfsPath, signal?: AbortSignal): Promise<UfsEntry> {
    const p = normalizeUfsPath(path);
    throwIfAborted(signal);
    const st = await this.lstatFollow(p);
    if (!st.isFile() && !st.isDirectory()) throw new UfsInvalidPathError(p, 'is neither a file nor a directory');
    return entryOf(p === '/' ? '' : ufsBaseName(p), st);
  }

  async read(path: UfsPath, offset: number, length: number, opts: { fingerprint?: string; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const p = normalizeUfsPath(path);
    checkReadRange(p, offset, length);
    throwIfAborted(opts.signal);
    let fh;
    try {
      fh = await open(this.abs(p), 'r');
    } catch (err) {
      throw mapFsError(p, err);
    }
    try {
      const st = await fh.stat();
      if (st.isDirectory()) throw new UfsInvalidPathError(p, 'is a directory');
      if (opts.fingerprint && opts.fingerprint !== fingerprintOf(st)) throw new UfsChangedError(p);
      const n = Math.max(0, Math.min(length, st.size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        throwIfAborted(opts.signal);
        const { bytesRead } = await fh.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break; // truncated concurrently
        got += bytesRead;
      }
      return got === n ? buf : buf.subarray(0, got);
    } catch (err) {
      throw mapFsError(p, err);
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    // Nothing held between calls.
  }

  async writeFile(path: UfsPath, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const p = normalizeUfsPath(path);
    if (p === '/') throw new UfsInvalidPathError(p, 'is the mount root, not a file');
    throwIfAborted(signal);
    const target = this.abs(p);
    const tmp = join(dirname(target), `.${ufsBaseName(p)}.fluid-tmp-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(tmp, bytes, { signal });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw mapFsError(p, err);
    }
  }

  private abs(p: UfsPath): string {
    return p === '/' ? this.root : join(this.root, p);
  }

  private async lstatFollow(p: UfsPath): Promise<Stats> {
    try {
      return await stat(this.abs(p));
    } catch (err) {
      throw mapFsError(p, err);
    }
  }
}

function fingerprintOf(st: Stats): string {
  return `${st.mtimeMs}-${st.size}`;
}

function entryOf(name: string, st: Stats): UfsEntry {
  const dir = st.isDirectory();
  return {
    name,
    kind: dir ? 'directory' : 'file',
    size: dir ? 0 : st.size,
    mtimeMs: Math.floor(st.mtimeMs),
    fingerprint: dir ? `dir-${st.mtimeMs}` : fingerprintOf(st),
  };
}

function mapFsError(p: UfsPath, err: unknown): Error {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && !('ufsPath' in err)) {
    switch (err.code) {
      case 'ENOENT':
      case 'ENOTDIR':
        return new UfsNotFoundError(p, { cause: err });
      case 'EACCES':
      case 'EPERM':
        return new UfsAccessDeniedError(p, err.code, { cause: err });
      case 'EISDIR':
        return new UfsInvalidPathError(p, 'is a directory');
      case 'ABORT_ERR':
        return err;
      default:
        return new UfsUnavailableError(p, err.code, { cause: err });
    }
  }
  return err instanceof Error ? err : new Error(String(err));
}

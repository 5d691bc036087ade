// Files shaped like seed 001's WebUFS example (the Apache mirror's hbase/stable directory), with
// deterministic pseudo-random content. `scale` shrinks every file (1 = full size, ~552 MiB;
// 0.001 = ~565 KiB for tests); the same scale always yields the same bytes and hashes.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from './proc.js';
import { writeRandomFile } from './servers.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Name and full-scale size in bytes of each file in the seed's listing. */
export const HBASE_FILES: readonly { readonly name: string; readonly size: number }[] = [
  { name: 'CHANGES.md', size: Math.round(1.1 * MiB) },
  { name: 'RELEASENOTES.md', size: 650 * KiB },
  { name: 'api_compare_2.3.4_to_2.3.5RC1.html', size: 29 * KiB },
  { name: 'hbase-2.3.5-bin.tar.gz', size: 263 * MiB },
  { name: 'hbase-2.3.5-client-bin.tar.gz', size: 252 * MiB },
  { name: 'hbase-2.3.5-src.tar.gz', size: 36 * MiB },
];

export interface HbaseFixtureFile {
  readonly name: string;
  /** Absolute path of the written file. */
  readonly path: string;
  readonly size: number;
  /** Hex sha256 of the content. */
  readonly sha256: string;
}

export interface HbaseFixture {
  readonly dir: string;
  readonly files: readonly HbaseFixtureFile[];
  /** Sum of the file sizes, bytes. */
  readonly totalBytes: number;
}

/**
 * Writes the six files into `dir` (created if missing). Each file's size is
 * max(1, round(fullSize * scale)); file i uses seed i + 1 of writeRandomFile.
 */
export async function writeHbaseFixture(dir: string, opts: { scale?: number } = {}): Promise<HbaseFixture> {
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new Error(`writeHbaseFixture: scale must be in (0, 1], got ${scale}`);
  mkdirSync(dir, { recursive: true });
  const files: HbaseFixtureFile[] = [];
  for (const [i, f] of HBASE_FILES.entries()) {
    const size = Math.max(1, Math.round(f.size * scale));
    const path = join(dir, f.name);
    writeRandomFile(path, size, i + 1);
    files.push({ name: f.name, path, size: statSync(path).size, sha256: await sha256File(path) });
  }
  return { dir, files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}

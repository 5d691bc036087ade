// Restoring a master from a DataBackup (Dataset spec.dataRestoreLocation): checks a parsed backup
// file against the mounts the new master serves and turns it into one `ns.restore` journal entry.
// Pure: the master process reads the file and proposes the entry.
//
// What is restored: the namespace (every listed directory, file size, mtime and fingerprint) of each
// mount. What is not: the worker registry and block map. The backed-up workers were the old
// runtime's pods and their cache directories went with them; the new workers register what they hold
// (nothing), and file data is read from the UFS again on first access, as in Fluid, whose restore
// also restores metadata only.
import { FluidError } from '../errors.js';
import type { MasterEntry } from './master-entry.js';
import type { NsNode } from './node-store.js';

/** The backup cannot be used for this master; the message says why (the caller adds the field). */
export class MetadataRestoreError extends FluidError {
  constructor(message: string) {
    super('Invalid', message);
  }
}

export interface RestoreMount {
  readonly name: string;
  /** The mount's UFS as the master table names it (core/ufs describeMount). */
  readonly ufs: string;
}

export interface RestorePlan {
  readonly entry: Extract<MasterEntry, { type: 'ns.restore' }>;
  readonly files: number;
  readonly directories: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function node(v: unknown, where: string): NsNode {
  const n = isRecord(v) ? v : {};
  const kind = n['kind'];
  const children = n['children'];
  if ((kind !== 'file' && kind !== 'directory') || typeof n['size'] !== 'number' || typeof n['mtimeMs'] !== 'number' || typeof n['fingerprint'] !== 'string'
    || typeof n['listedAtMs'] !== 'number' || !(children === null || (Array.isArray(children) && children.every((c) => typeof c === 'string')))) {
    throw new MetadataRestoreError(`${where}: not a namespace node`);
  }
  return { kind, size: n['size'], mtimeMs: n['mtimeMs'], fingerprint: n['fingerprint'], children: children === null ? null : [...(children as string[])], listedAtMs: n['listedAtMs'] };
}

/**
 * The restore entry for `mounts` from `backup` (a MetadataBackup as written by DataBackup). The
 * backup must hold exactly these mounts, by name and UFS: a backup of another dataset or of a
 * changed mountPoint is refused rather than half applied.
 */
export function planMetadataRestore(backup: unknown, mounts: readonly RestoreMount[]): RestorePlan {
  if (!isRecord(backup) || backup['format'] !== 'fluid-ts.master-metadata') throw new MetadataRestoreError('not a fluid-ts metadata backup (format is not "fluid-ts.master-metadata")');
  if (backup['version'] !== 1) throw new MetadataRestoreError(`unsupported backup version ${JSON.stringify(backup['version'])} (this master reads version 1)`);
  const snap = backup['snapshot'];
  if (!isRecord(snap) || snap['version'] !== 1 || !Array.isArray(snap['mounts']) || !isRecord(snap['namespace'])) throw new MetadataRestoreError('the backup holds no master snapshot of version 1');
  const backed = (snap['mounts'] as unknown[]).map((m) => (isRecord(m) ? { name: String(m['name']), ufs: String(m['ufs']) } : { name: '', ufs: '' }));
  const missing = mounts.filter((m) => !backed.some((b) => b.name === m.name));
  if (missing.length > 0) throw new MetadataRestoreError(`the backup has no mount ${missing.map((m) => `"${m.name}"`).join(', ')} (it holds ${backed.map((b) => `"${b.name}"`).join(', ') || 'none'})`);
  const extra = backed.filter((b) => !mounts.some((m) => m.name === b.name));
  if (extra.length > 0) throw new MetadataRestoreError(`the backup holds mount ${extra.map((b) => `"${b.name}"`).join(', ')} that the dataset does not mount`);
  for (const m of mounts) {
    const b = backed.find((x) => x.name === m.name);
    if (b && b.ufs !== m.ufs) throw new MetadataRestoreError(`mount "${m.name}" was backed up from ${b.ufs}, but the dataset mounts ${m.ufs}`);
  }
  const ns = snap['namespace'];
  let files = 0;
  let directories = 0;
  const out = mounts.map((m) => {
    const pairs = ns[m.name];
    if (!Array.isArray(pairs)) throw new MetadataRestoreError(`the backup has no namespace for mount "${m.name}"`);
    const nodes = pairs.map((p: unknown, i): [string, NsNode] => {
      if (!Array.isArray(p) || typeof p[0] !== 'string' || !p[0].startsWith('/')) throw new MetadataRestoreError(`mount "${m.name}" node ${i}: not a [path, node] pair`);
      const n = node(p[1], `mount "${m.name}" path ${p[0]}`);
      if (n.kind === 'file') files++;
      else directories++;
      return [p[0], n];
    });
    if (!nodes.some(([p, n]) => p === '/' && n.kind === 'directory')) throw new MetadataRestoreError(`mount "${m.name}": the backup has no root directory`);
    return { name: m.name, nodes };
  });
  return { entry: { type: 'ns.restore', mounts: out }, files, directories };
}

// Which metastore the master keeps its namespace in, from MasterConfig.properties:
//   fluid.master.metastore | alluxio.master.metastore          HEAP (default) | SQLITE | ROCKS
//   fluid.master.metastore.dir | alluxio.master.metastore.dir  default <journalDir>/metastore
// ROCKS (Alluxio's off-heap RocksDB store) is served by the SQLite store: same role, no RocksDB here.
import { join } from 'node:path';
import { FluidError } from '../../core/errors.js';

export type MetastoreKind = 'HEAP' | 'SQLITE';

export interface MetastoreConfig {
  readonly kind: MetastoreKind;
  /** Directory of the off-heap database (unused for HEAP). */
  readonly dir: string;
}

/** A metastore property has a value we do not accept. */
export class MetastoreConfigError extends FluidError {
  constructor(message: string) {
    super('Invalid', message);
  }
}

const KIND_KEYS = ['fluid.master.metastore', 'alluxio.master.metastore'] as const;
const DIR_KEYS = ['fluid.master.metastore.dir', 'alluxio.master.metastore.dir'] as const;
const ACCEPTED: Readonly<Record<string, MetastoreKind>> = { HEAP: 'HEAP', SQLITE: 'SQLITE', ROCKS: 'SQLITE' };

export function metastoreConfig(props: Readonly<Record<string, string>>, journalDir: string): MetastoreConfig {
  let kind: MetastoreKind = 'HEAP';
  const kindKey = KIND_KEYS.find((k) => props[k] !== undefined);
  if (kindKey !== undefined) {
    const v = props[kindKey] ?? '';
    const k = ACCEPTED[v.trim().toUpperCase()];
    if (k === undefined) throw new MetastoreConfigError(`property ${kindKey}: expected one of HEAP, SQLITE, ROCKS, got "${v}"`);
    kind = k;
  }
  let dir = join(journalDir, 'metastore');
  const dirKey = DIR_KEYS.find((k) => props[k] !== undefined);
  if (dirKey !== undefined) {
    const v = (props[dirKey] ?? '').trim();
    if (v === '') throw new MetastoreConfigError(`property ${dirKey}: expected a directory path, got an empty value`);
    dir = v;
  }
  return { kind, dir };
}

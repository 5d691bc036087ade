// Tunables of the FUSE client, read from FuseConfig.properties (string values). Unknown keys are
// ignored (the map is shared with the other engine components); a bad value is an error naming it.
import { ValidationError } from '../../../core/errors.js';

export interface FuseTunables {
  /** fuse.shortCircuit.enabled: read same-host workers' block files directly. */
  readonly shortCircuit: boolean;
  /** fuse.maxRead: bytes per FUSE read request. */
  readonly maxRead: number;
  /** fuse.maxReadahead: kernel read-ahead, bytes. */
  readonly maxReadahead: number;
  /** fuse.attrTimeoutSec: kernel attr/entry cache, seconds; also the client's metadata cache. */
  readonly attrTimeoutSec: number;
  /** fuse.readahead.maxBlocks: client read-ahead window (blocks prefetched on the workers). */
  readonly readaheadMaxBlocks: number;
  /** fuse.ufs.chunkSize: bytes per direct UFS range read (fallback path). */
  readonly ufsChunkSize: number;
  /** fuse.checkUfsOnStart: stat every mount's root before mounting (clear error if unreachable). */
  readonly checkUfsOnStart: boolean;
  /** fuse.shortCircuit.maxOpenBlocks: block files kept open (each pins its block on the worker). */
  readonly maxOpenBlocks: number;
  /** fuse.shortCircuit.idleMs: an open block file unused this long is closed and unpinned. */
  readonly openBlockIdleMs: number;
  /** fuse.maxThreads: libfuse worker threads (native reads run on them; each can wait on one JS answer). */
  readonly maxThreads: number;
  /** fuse.smallFile.maxBytes: files up to this size are read over a worker's block endpoint, never short-circuit (0 = off). */
  readonly smallFileBytes: number;
}

function int(props: Record<string, string>, key: string, def: number, min: number): number {
  const v = props[key];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new ValidationError([{ type: 'FieldValueInvalid', path: `properties.${key}`, value: v, message: `must be an integer >= ${min}` }], 'FuseConfig');
  }
  return n;
}

function bool(props: Record<string, string>, key: string, def: boolean): boolean {
  const v = props[key];
  if (v === undefined) return def;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ValidationError([{ type: 'FieldValueInvalid', path: `properties.${key}`, value: v, message: 'must be "true" or "false"' }], 'FuseConfig');
}

export function fuseTunables(props: Record<string, string>): FuseTunables {
  return {
    shortCircuit: bool(props, 'fuse.shortCircuit.enabled', true),
    maxRead: int(props, 'fuse.maxRead', 1 << 20, 4096),
    maxReadahead: int(props, 'fuse.maxReadahead', 8 << 20, 0),
    attrTimeoutSec: int(props, 'fuse.attrTimeoutSec', 60, 0),
    readaheadMaxBlocks: int(props, 'fuse.readahead.maxBlocks', 8, 1),
    ufsChunkSize: int(props, 'fuse.ufs.chunkSize', 4 << 20, 4096),
    checkUfsOnStart: bool(props, 'fuse.checkUfsOnStart', true),
    maxOpenBlocks: int(props, 'fuse.shortCircuit.maxOpenBlocks', 128, 1),
    openBlockIdleMs: int(props, 'fuse.shortCircuit.idleMs', 10_000, 100),
    maxThreads: int(props, 'fuse.maxThreads', 16, 2),
    smallFileBytes: int(props, 'fuse.smallFile.maxBytes', 1 << 20, 0),
  };
}

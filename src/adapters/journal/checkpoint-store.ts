// Checkpoints (snapshots of the replicated state) as files `ckpt-<seq>.bin` in one directory,
// each a single checksummed frame whose seq is the last journal sequence the snapshot covers.
// Written atomically (tmp + fsync + rename + fsync dir); older checkpoints are then deleted, so
// at most one complete checkpoint exists after write() returns.
import { crc32 as zcrc } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFrames, encodeFrame } from '../../core/journal/frame-codec.js';
import { fsyncDir, writeFileAtomic } from './fs-sync.js';

export interface Checkpoint {
  readonly seq: number;
  readonly payload: Uint8Array;
}

const CKPT_RE = /^ckpt-(\d{20})\.bin$/;

export class CheckpointStore {
  constructor(readonly dir: string) {}

  /** The newest checkpoint that decodes cleanly, or undefined. */
  latest(): Checkpoint | undefined {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir).filter((n) => CKPT_RE.test(n)).sort().reverse();
    for (const n of names) {
      const dec = decodeFrames(readFileSync(join(this.dir, n)), zcrc);
      const f = dec.frames[0];
      if (f && dec.tail === undefined && dec.frames.length === 1) return { seq: f.seq, payload: f.payload };
    }
    return undefined;
  }

  write(seq: number, payload: Uint8Array): void {
    mkdirSync(this.dir, { recursive: true });
    const name = `ckpt-${String(seq).padStart(20, '0')}.bin`;
    writeFileAtomic(join(this.dir, name), encodeFrame(seq, payload, zcrc));
    let removed = false;
    for (const n of readdirSync(this.dir)) {
      if ((CKPT_RE.test(n) && n !== name) || n.endsWith('.tmp')) { unlinkSync(join(this.dir, n)); removed = true; }
    }
    if (removed) fsyncDir(this.dir);
  }
}

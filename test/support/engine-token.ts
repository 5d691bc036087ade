// Engine credentials for tests that start engine processes by hand: every `fluid engine ...` config
// needs `tokenFile` (a 0600 file), and every client call presents the matching credential.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineCredential } from '../../src/adapters/rpc/engine-credential.js';
import type { Cleanup } from './proc.js';

export interface TestToken {
  /** Path of the 0600 token file (what configs name in tokenFile). */
  readonly file: string;
  readonly credential: EngineCredential;
}

/** A fresh token in a 0600 file under `dir` (e.g. to play another runtime's credential). */
export function writeToken(dir: string, name = 'engine-token'): TestToken {
  const credential = EngineCredential.generate();
  const file = join(dir, name);
  writeFileSync(file, credential.reveal(), { mode: 0o600 });
  return { file, credential };
}

let shared: TestToken | undefined;

/** One token per test process, shared by every hand-started engine process of it. */
export function sharedToken(): TestToken {
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), 'fluid-token-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    shared = writeToken(dir);
  }
  return shared;
}

/** A token in a temp dir removed at test end. */
export function tempToken(t: Cleanup, dir: string): TestToken {
  const tok = writeToken(dir, `token-${Math.random().toString(36).slice(2)}`);
  t.after(() => rmSync(tok.file, { force: true }));
  return tok;
}

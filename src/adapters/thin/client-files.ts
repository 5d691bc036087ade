// Lays out one ThinRuntime client's files on the host:
//   <dir>/config/config.json   the rendered FUSE config (no secret values), 0644
//   <dir>/secrets/<secret>/<key>  one file per encrypt option value, 0600 (dirs 0700)
//   <dir>/work/                the client's working directory (parse scripts write here)
// Inside the client's mount namespace <dir>/config/config.json is bind-mounted at
// /etc/fluid/config/config.json and /etc/fluid/config.json, and <dir>/secrets at
// /etc/fluid/secrets, so the JSON's secret paths (/etc/fluid/secrets/...) resolve there.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AssertionError } from '../../core/errors.js';
import type { SecretFileRef } from '../../core/thin/render-fuse-config.js';

/** Namespace-side root of secret files, as in Fluid's FUSE pods. */
export const NAMESPACE_SECRETS_DIR = '/etc/fluid/secrets';

export interface ClientFilesLayout {
  readonly dir: string;
  readonly configFile: string;
  readonly secretsDir: string;
  readonly workDir: string;
}

export function clientFilesLayout(dir: string): ClientFilesLayout {
  return { dir, configFile: join(dir, 'config', 'config.json'), secretsDir: join(dir, 'secrets'), workDir: join(dir, 'work') };
}

export interface SecretValue {
  readonly ref: SecretFileRef;
  readonly value: string;
}

function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * Writes the config and secret files. `secrets[i].ref.path` is a namespace path under
 * NAMESPACE_SECRETS_DIR; it is written at the same relative place under <dir>/secrets.
 * Idempotent: rewriting the same content is harmless.
 */
export function writeClientFiles(dir: string, configJson: string, secrets: readonly SecretValue[]): ClientFilesLayout {
  const layout = clientFilesLayout(dir);
  mkdirSync(dirname(layout.configFile), { recursive: true, mode: 0o755 });
  mkdirSync(layout.secretsDir, { recursive: true, mode: 0o700 });
  chmodSync(layout.secretsDir, 0o700);
  mkdirSync(layout.workDir, { recursive: true, mode: 0o700 });
  writeAtomic(layout.configFile, `${configJson}\n`, 0o644);
  for (const s of secrets) {
    const rel = relative(NAMESPACE_SECRETS_DIR, s.ref.path);
    if (rel.startsWith('..') || rel === '') throw new AssertionError(`secret path ${s.ref.path} is outside ${NAMESPACE_SECRETS_DIR}`);
    const host = join(layout.secretsDir, rel);
    mkdirSync(dirname(host), { recursive: true, mode: 0o700 });
    writeAtomic(host, s.value, 0o600);
  }
  return layout;
}

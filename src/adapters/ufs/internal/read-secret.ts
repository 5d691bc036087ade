// Default reader for encryptOptionFiles: the file holds the value, maybe with one trailing newline.
import { readFileSync } from 'node:fs';
import { UfsConfigError } from '../../../core/ufs/ufs-errors.js';

/** Reads a secret file; the error names the file path, never its content. */
export function readSecretFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UfsConfigError(`cannot read secret file ${path}: ${code}`);
  }
}

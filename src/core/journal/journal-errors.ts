// Errors of the master journal that a caller can handle.
import { FluidError } from '../errors.js';

/** The journal could not durably record a mutation (e.g. disk full); nothing was applied. */
export class JournalWriteError extends FluidError {
  constructor(readonly dir: string, detail: string, options?: { cause?: unknown }) {
    super('JournalUnavailable', `journal write failed in ${dir}: ${detail}; the mutation was not applied`, options);
  }
}

/** The journal on disk is damaged somewhere other than its tail and cannot be replayed safely. */
export class JournalCorruptError extends FluidError {
  constructor(readonly path: string, detail: string) {
    super('JournalCorrupt', `journal file ${path} is corrupt: ${detail}; run "fluid journal format --dir DIR" only if losing the journal is acceptable`);
  }
}

/** A snapshot or checkpoint of an unsupported format. */
export class JournalFormatError extends FluidError {
  constructor(detail: string) {
    super('JournalFormat', detail);
  }
}

import { FluidError } from '../errors.js';

/** The path does not exist in the under storage (HTTP 404, S3 NoSuchKey, ENOENT). */
export class UfsNotFoundError extends FluidError {
  constructor(readonly ufsPath: string, options?: { cause?: unknown }) {
    super('UfsNotFound', `under storage path not found: ${ufsPath}`, options);
  }
}

/** Credentials were refused (HTTP 401/403, S3 AccessDenied/InvalidAccessKeyId/SignatureDoesNotMatch). */
export class UfsAccessDeniedError extends FluidError {
  constructor(readonly ufsPath: string, detail: string, options?: { cause?: unknown }) {
    super('UfsAccessDenied', `access denied to under storage path ${ufsPath}: ${detail}`, options);
  }
}

/**
 * The storage could not be reached or answered with a server error. `retriable` is false when
 * repeating the same request cannot help (e.g. the server ignores Range on a huge file).
 */
export class UfsUnavailableError extends FluidError {
  readonly retriable: boolean;
  constructor(readonly ufsPath: string, detail: string, options?: { cause?: unknown; retriable?: boolean }) {
    super('UfsUnavailable', `under storage unavailable for ${ufsPath}: ${detail}`, options);
    this.retriable = options?.retriable ?? true;
  }
}

/** The object's fingerprint no longer matches the one the caller cached. */
export class UfsChangedError extends FluidError {
  constructor(readonly ufsPath: string) {
    super('UfsChanged', `under storage object changed: ${ufsPath}`);
  }
}

/** A read that required the file to be `expected` bytes long found another size. */
export class UfsSizeMismatchError extends FluidError {
  constructor(readonly ufsPath: string, readonly expected: number, readonly actual: number) {
    super('UfsSizeMismatch', `under storage file ${ufsPath} is ${actual} bytes, not ${expected}`);
  }
}

/** The mount point's scheme or options are not usable (message names the option, never a secret value). */
export class UfsConfigError extends FluidError {
  constructor(message: string) {
    super('UfsConfig', message);
  }
}

/** The path is malformed (escapes the mount with "..", has a NUL) or names the wrong kind of entry. */
export class UfsInvalidPathError extends FluidError {
  constructor(readonly ufsPath: string, detail: string) {
    super('UfsInvalidPath', `invalid under storage path ${JSON.stringify(ufsPath)}: ${detail}`);
  }
}

/**
 * The under storage returned fewer bytes than asked for a range inside the file's recorded length:
 * the object was truncated or replaced since it was listed. Raised on every read path (worker fill,
 * FUSE direct read), so callers handle one type.
 */
export class UfsShortReadError extends FluidError {
  constructor(readonly ufsPath: string, readonly offset: number, readonly expected: number, readonly got: number) {
    super('UfsShortRead', `under storage returned ${got} of ${expected} bytes at ${offset} of ${ufsPath}; the file may have changed`);
  }
}

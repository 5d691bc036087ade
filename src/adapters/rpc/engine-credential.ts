// The per-runtime engine credential: one bearer token shared by a runtime's masters, workers, FUSE
// clients and the controllers that call them (Secret `<runtime>-engine-token`, key `token`).
//
// Contract:
// - the token value lives only in this object and in 0600 files; it is never rendered by
//   toString/toJSON/inspect, so a credential that ends up in a log line or error shows "[redacted]";
// - `accepts()` compares in constant time (both sides hashed to 32 bytes first, so the length of the
//   presented value leaks nothing either);
// - errors name the config field and the file path, never the content.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { FluidError } from '../../core/errors.js';

/** Key of the token inside the runtime's credential Secret. */
export const ENGINE_TOKEN_KEY = 'token';
/** Shortest token accepted from a file (a generated one is 43 characters). */
const MIN_TOKEN_CHARS = 32;

/** The credential file is missing, unreadable, too open, or does not hold a usable token. */
export class EngineCredentialError extends FluidError {
  constructor(readonly field: string, readonly file: string, detail: string) {
    super('Invalid', `${field}: ${file}: ${detail}`);
  }
}

export class EngineCredential {
  private readonly digest: Buffer;

  private constructor(private readonly token: string) {
    this.digest = createHash('sha256').update(token).digest();
  }

  /** A fresh random token (32 bytes, base64url). */
  static generate(): EngineCredential {
    return new EngineCredential(randomBytes(32).toString('base64url'));
  }

  /** From a token value (e.g. a Secret's decoded `token` key). Surrounding whitespace is ignored. */
  static of(token: string): EngineCredential {
    const t = token.trim();
    if (t.length < MIN_TOKEN_CHARS || /\s/.test(t)) {
      throw new FluidError('Invalid', `engine token: expected at least ${MIN_TOKEN_CHARS} non-blank characters without whitespace`);
    }
    return new EngineCredential(t);
  }

  /**
   * Reads the token from `file` (config field `field`, e.g. "tokenFile"). The file must be a
   * regular file that neither group nor others can read or write (0600 or stricter).
   */
  static fromFile(file: string, field = 'tokenFile'): EngineCredential {
    let mode: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new EngineCredentialError(field, file, 'not a regular file');
      mode = st.mode & 0o777;
    } catch (err) {
      if (err instanceof EngineCredentialError) throw err;
      throw new EngineCredentialError(field, file, `cannot read the engine token file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if ((mode & 0o077) !== 0) {
      throw new EngineCredentialError(field, file, `mode ${mode.toString(8).padStart(4, '0')} lets group or others read it; the engine token file must be 0600`);
    }
    const text = readFileSync(file, 'utf8');
    try {
      return EngineCredential.of(text);
    } catch {
      throw new EngineCredentialError(field, file, `expected an engine token of at least ${MIN_TOKEN_CHARS} non-blank characters`);
    }
  }

  /** The value of the Authorization header to send. */
  authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** The raw value, for storing in a Secret only. */
  reveal(): string {
    return this.token;
  }

  /** True when `header` is `Bearer <this token>`. Constant time in the token's content. */
  accepts(header: string | undefined): boolean {
    if (typeof header !== 'string' || !/^bearer /i.test(header)) return false;
    const presented = createHash('sha256').update(header.slice('bearer '.length).trim()).digest();
    return timingSafeEqual(presented, this.digest);
  }

  toString(): string { return '[redacted]'; }
  toJSON(): string { return '[redacted]'; }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return 'EngineCredential([redacted])'; }
}

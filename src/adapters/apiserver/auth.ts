// Bearer-token authentication. The token is created once (HOME/token, mode 0600) and compared
// in constant time; it is never logged.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';

/** Reads HOME/token, creating it (32 random bytes, hex, mode 0600) on first use. */
export function loadOrCreateToken(path: string): string {
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    const t = readFileSync(path, 'utf8').trim();
    if (t.length >= 32) return t;
  }
  const token = randomBytes(32).toString('hex');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) return false;
  const got = Buffer.from(m[1] ?? '');
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

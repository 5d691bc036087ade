// JuiceFS meta URLs (the `metaurl` encryptOption): which engine, where it listens, and the URL split
// into a part that may be passed as an argument and a password that may not. JuiceFS reads a Redis
// password that is missing from the URL from $META_PASSWORD (also $REDIS_PASSWORD), so the password
// travels in the child's environment only. Pure.

/** Metadata engines this project's juicefs build keeps (tools/juicefs/tool.sh drops the others). */
export const SUPPORTED_META_SCHEMES = ['redis', 'rediss', 'unix', 'sqlite3'] as const;

export interface MetaUrl {
  readonly scheme: string;
  /** The URL with the password removed (user name kept), for the `juicefs` argument. */
  readonly withoutPassword: string;
  /** The password, when the URL had one. */
  readonly password?: string;
  /** host:port of a network engine (the first one of a list), for a reachability check. */
  readonly address?: { readonly host: string; readonly port: number };
}

export class MetaUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetaUrlError';
  }
}

/**
 * Parses a meta URL. Messages never quote the URL (it is a secret): they name what is wrong.
 * A URL without "://" is a Redis address, as JuiceFS reads it.
 */
export function parseMetaUrl(raw: string): MetaUrl {
  const text = raw.trim();
  if (text === '') throw new MetaUrlError('the meta URL is empty');
  const url = text.includes('://') ? text : `redis://${text}`;
  const p = url.indexOf('://');
  const scheme = url.slice(0, p).toLowerCase();
  if (!(SUPPORTED_META_SCHEMES as readonly string[]).includes(scheme)) {
    throw new MetaUrlError(`meta URL scheme "${scheme}" is not supported: expected one of ${SUPPORTED_META_SCHEMES.join(', ')} (Redis or SQLite)`);
  }
  const rest = url.slice(p + 3);
  if (scheme === 'sqlite3' || scheme === 'unix') return { scheme, withoutPassword: url };
  // authority = [user[:password]@]host[:port][,host2...] up to the first "/" after the last "@".
  const at = rest.lastIndexOf('@');
  const userinfo = at >= 0 ? rest.slice(0, at) : undefined;
  const afterAt = at >= 0 ? rest.slice(at + 1) : rest;
  const slash = afterAt.indexOf('/');
  const hosts = slash >= 0 ? afterAt.slice(0, slash) : afterAt;
  const first = (hosts.split(',')[0] ?? '').trim();
  if (first === '') throw new MetaUrlError('the meta URL names no host');
  const address = hostPort(first, scheme === 'rediss' ? 6379 : 6379);
  if (userinfo === undefined) return { scheme, withoutPassword: url, address };
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const password = colon >= 0 ? decodeURIComponentSafe(userinfo.slice(colon + 1)) : undefined;
  const prefix = `${scheme}://${user !== '' ? `${user}@` : ''}`;
  return { scheme, withoutPassword: `${prefix}${afterAt}`, address, ...(password !== undefined && password !== '' ? { password } : {}) };
}

function hostPort(hp: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hp) ?? /^([^:]+)(?::(\d+))?$/.exec(hp);
  if (!m) throw new MetaUrlError('the meta URL host is malformed');
  const port = m[2] !== undefined ? Number(m[2]) : defaultPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MetaUrlError('the meta URL port is out of range');
  return { host: m[1] ?? '', port };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

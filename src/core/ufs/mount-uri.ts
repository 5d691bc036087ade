// Parsing of EngineMount.mountPoint into a connector target. Pure: no I/O, no URL fetching.
// The schemes are those of api/kinds/mount-schemes.ts served by the cache engine (the registry
// admission checks against); pvc:// is resolved by the plan (core/reconcile/cache-engine) to the
// claim's directory before an engine process sees it.
import { mountSchemes } from '../../api/kinds/mount-schemes.js';
import { UfsConfigError } from './ufs-errors.js';

/** pvc://<claim>[/<path>]: a PersistentVolumeClaim's directory as the UFS. */
export interface PvcMountPoint {
  readonly claim: string;
  /** Absolute path inside the claim, "/" for its root. */
  readonly subPath: string;
}

/** The claim and path of a pvc:// mount point; undefined for other schemes. Throws for a malformed one. */
export function parsePvcMountPoint(mountPoint: string): PvcMountPoint | undefined {
  const m = /^pvc:\/\/(.*)$/i.exec(mountPoint.trim());
  if (!m) return undefined;
  const [claim = '', ...rest] = (m[1] ?? '').split('/');
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(claim)) {
    throw new UfsConfigError(`mountPoint: ${JSON.stringify(mountPoint)} must be pvc://<claim name>[/<path>] with a DNS-1123 claim name`);
  }
  const segs = rest.filter((s) => s !== '' && s !== '.');
  if (segs.includes('..')) throw new UfsConfigError(`mountPoint: ${JSON.stringify(mountPoint)} must not contain ".."`);
  return { claim, subPath: `/${segs.join('/')}` };
}

/** Schemes an engine process parses itself (the registry's engine schemes but pvc). */
export const engineParsedSchemes: readonly string[] = mountSchemes.filter((s) => s.runtime === 'engine' && s.scheme !== 'pvc').map((s) => s.scheme);

export type MountTarget =
  /** Local directory; `dir` is absolute without a trailing slash (except "/"). */
  | { readonly scheme: 'local'; readonly dir: string }
  /** Web directory; `baseUrl` always ends with "/". */
  | { readonly scheme: 'http' | 'https'; readonly baseUrl: string }
  /**
   * S3-protocol bucket. `prefix` is "" (whole bucket) or ends with "/" and never starts with "/".
   */
  | { readonly scheme: 's3' | 's3a' | 'oss'; readonly bucket: string; readonly prefix: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Parses a mount point; throws UfsConfigError naming what is wrong (credentials are never echoed). */
export function parseMountPoint(mountPoint: string): MountTarget {
  if (typeof mountPoint !== 'string' || mountPoint.trim() === '') {
    throw new UfsConfigError('mountPoint: expected a non-empty UFS URI such as local:///dir, https://host/dir/ or s3://bucket/prefix');
  }
  const mp = mountPoint.trim();
  if (mp.startsWith('/')) return { scheme: 'local', dir: trimDir(mp) };
  const m = SCHEME.exec(mp);
  if (!m) {
    throw new UfsConfigError(`mountPoint: ${JSON.stringify(redactUri(mp))} has no scheme; expected local:///dir, http(s)://, s3://, s3a:// or oss://`);
  }
  const scheme = (m[1] ?? '').toLowerCase();
  const rest = mp.slice(m[0].length);
  switch (scheme) {
    case 'local': {
      if (!rest.startsWith('/')) {
        throw new UfsConfigError(`mountPoint: ${JSON.stringify(mp)} must be local:///absolute/dir (three slashes)`);
      }
      return { scheme: 'local', dir: trimDir(rest) };
    }
    case 'http':
    case 'https': {
      let url: URL;
      try {
        url = new URL(mp);
      } catch {
        throw new UfsConfigError(`mountPoint: ${JSON.stringify(redactUri(mp))} is not a valid URL`);
      }
      if (url.search || url.hash) {
        throw new UfsConfigError(`mountPoint: ${JSON.stringify(redactUri(mp))} must not have a query or fragment`);
      }
      if (!url.pathname.endsWith('/')) url.pathname += '/';
      return { scheme, baseUrl: url.toString() };
    }
    case 's3':
    case 's3a':
    case 'oss': {
      const slash = rest.indexOf('/');
      const bucket = slash < 0 ? rest : rest.slice(0, slash);
      if (bucket.includes('@')) {
        throw new UfsConfigError(`mountPoint: credentials in the ${scheme}:// URI are not supported; use options or encryptOptions`);
      }
      if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}$/.test(bucket)) {
        throw new UfsConfigError(`mountPoint: ${JSON.stringify(mp)} has an invalid bucket name ${JSON.stringify(bucket)}`);
      }
      const segs = (slash < 0 ? '' : rest.slice(slash + 1)).split('/').filter((s) => s !== '' && s !== '.');
      if (segs.includes('..')) throw new UfsConfigError(`mountPoint: ${JSON.stringify(mp)} must not contain ".."`);
      return { scheme, bucket, prefix: segs.length ? `${segs.join('/')}/` : '' };
    }
    case 'pvc':
      throw new UfsConfigError(`mountPoint: pvc:// is resolved to the claim's directory by the runtime controller; an engine process takes that directory, not ${JSON.stringify(mp)}`);
    default:
      throw new UfsConfigError(
        `mountPoint: unsupported scheme "${scheme}://"; supported: ${engineParsedSchemes.map((s) => `${s}://`).join(', ')}`,
      );
  }
}

function trimDir(p: string): string {
  const segs = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.includes('..')) throw new UfsConfigError(`mountPoint: ${JSON.stringify(p)} must not contain ".."`);
  return `/${segs.join('/')}`;
}

/**
 * Removes credentials from a URI for logs: user-info ("user:pass@") and query parameters whose
 * names look secret (signature, token, key, secret, password, credential).
 */
export function redactUri(uri: string): string {
  let out = uri.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@?#]*@/, '$1***@');
  out = out.replace(
    /([?&][^=&#]*(?:signature|token|key|secret|password|passwd|credential|auth)[^=&#]*=)[^&#]*/gi,
    '$1***',
  );
  return out;
}

// Resolution of S3-protocol connection settings (s3://, s3a://, oss://) from a mount's options.
// Pure: secret values are obtained through the `secret` callback and never put in messages;
// every error names the option, not its value.
import { UfsConfigError } from './ufs-errors.js';

export type S3Scheme = 's3' | 's3a' | 'oss';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface S3Settings {
  /** Absolute endpoint URL with a scheme; undefined = the AWS default for the region. */
  readonly endpoint: string | undefined;
  /** Option the endpoint came from, for messages. */
  readonly endpointOption: string | undefined;
  readonly region: string;
  readonly forcePathStyle: boolean;
  /** undefined = no credentials configured (anonymous requests). */
  readonly credentials: S3Credentials | undefined;
  /** "idOption/secretOption" of the pair used, for messages (names only). */
  readonly credentialOptions: string | undefined;
}

/** Where option values come from. Encrypted options win over plain ones of the same name. */
export interface S3OptionSource {
  readonly options: Readonly<Record<string, string>>;
  /** Names present in encryptOptions. */
  readonly secretNames: ReadonlySet<string>;
  /** Reads an encrypted option's value (may throw UfsConfigError naming the file). */
  secret(name: string): string;
}

/**
 * Endpoint options per scheme, first present wins. Every scheme accepts every family's name (an
 * s3:// Dataset written with seed 000's fs.oss.* names must not silently go to AWS); the scheme's
 * own family comes first. Region, path-style and credential names are likewise scheme-independent.
 */
const ENDPOINT_KEYS: Record<S3Scheme, readonly string[]> = {
  oss: ['fs.oss.endpoint', 'aws.endpoint', 'endpoint', 'fs.s3a.endpoint', 'fs.s3.endpoint', 'minio-url'],
  s3a: ['fs.s3a.endpoint', 'aws.endpoint', 'endpoint', 'minio-url', 'fs.s3.endpoint', 'fs.oss.endpoint'],
  s3: ['aws.endpoint', 'endpoint', 'minio-url', 'fs.s3a.endpoint', 'fs.s3.endpoint', 'fs.oss.endpoint'],
};
const REGION_KEYS = ['fs.s3a.endpoint.region', 'fs.oss.region', 'aws.region', 'region'];
const PATH_STYLE_KEYS = ['fs.s3a.path.style.access', 'aws.forcePathStyle', 'path-style-access'];
/** Credential option pairs in priority order: [access key id, secret key, session token?]. */
const CREDENTIAL_PAIRS: readonly (readonly [string, string, string?])[] = [
  ['fs.oss.accessKeyId', 'fs.oss.accessKeySecret', 'fs.oss.securityToken'],
  ['fs.s3a.access.key', 'fs.s3a.secret.key', 'fs.s3a.session.token'],
  ['aws.accessKeyId', 'aws.secretAccessKey', 'aws.sessionToken'],
  ['minio-access-key', 'minio-access-secret'],
  ['access-key', 'secret-key'],
];

export function resolveS3Settings(scheme: S3Scheme, src: S3OptionSource): S3Settings {
  const get = (name: string): string | undefined => {
    if (src.secretNames.has(name)) return src.secret(name);
    const v = src.options[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  let endpoint: string | undefined;
  let endpointOption: string | undefined;
  for (const key of ENDPOINT_KEYS[scheme]) {
    const v = get(key);
    if (v === undefined) continue;
    endpointOption = key;
    endpoint = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UfsConfigError(`option ${key}: not a valid endpoint (expected host[:port] or http(s)://host[:port])`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UfsConfigError(`option ${key}: endpoint scheme must be http or https`);
    }
    if (url.username || url.password) {
      throw new UfsConfigError(`option ${key}: credentials in the endpoint URL are not supported; use the access key options`);
    }
    endpoint = url.origin + (url.pathname === '/' ? '' : url.pathname);
    break;
  }
  if (scheme === 'oss' && endpoint === undefined) {
    throw new UfsConfigError('option fs.oss.endpoint: required for oss:// mount points');
  }

  let region = 'us-east-1';
  for (const key of REGION_KEYS) {
    const v = get(key);
    if (v === undefined) continue;
    if (!/^[a-z0-9-]+$/i.test(v)) throw new UfsConfigError(`option ${key}: expected a region name such as us-east-1`);
    region = v;
    break;
  }

  // Custom endpoints (MinIO, s3rver, Ceph) usually need path style; Aliyun OSS only serves
  // virtual-hosted style, so its own endpoints default to false.
  let forcePathStyle = endpoint !== undefined && !/\.aliyuncs\.com(?::\d+)?(?:\/|$)/i.test(endpoint);
  for (const key of PATH_STYLE_KEYS) {
    const v = get(key);
    if (v === undefined) continue;
    if (!/^(true|false)$/i.test(v)) throw new UfsConfigError(`option ${key}: expected "true" or "false"`);
    forcePathStyle = v.toLowerCase() === 'true';
    break;
  }

  let credentials: S3Credentials | undefined;
  let credentialOptions: string | undefined;
  for (const [idKey, secretKey, tokenKey] of CREDENTIAL_PAIRS) {
    const id = get(idKey);
    const secret = get(secretKey);
    if (id === undefined && secret === undefined) continue;
    if (id === undefined) throw new UfsConfigError(`option ${idKey}: required because ${secretKey} is set`);
    if (secret === undefined) throw new UfsConfigError(`option ${secretKey}: required because ${idKey} is set`);
    const token = tokenKey === undefined ? undefined : get(tokenKey);
    credentials = token === undefined ? { accessKeyId: id, secretAccessKey: secret } : { accessKeyId: id, secretAccessKey: secret, sessionToken: token };
    credentialOptions = `${idKey}/${secretKey}`;
    break;
  }

  return { endpoint, endpointOption, region, forcePathStyle, credentials, credentialOptions };
}

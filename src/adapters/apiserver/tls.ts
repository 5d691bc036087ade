// The serving certificate. kubectl (1.32 as shipped here) does not send a bearer token over
// plain http, so the server speaks https with a self-signed certificate made once by the
// `openssl` binary (SAN 127.0.0.1 and localhost). Clients trust it through the kubeconfig's
// certificate-authority-data. The key file is mode 0600.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FluidError } from '../../core/errors.js';

export interface ServingCert {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certPath: string;
}

/** Which certificate: file base name in the directory, subject CN, subjectAltName entries. */
export interface ServingCertOptions {
  readonly name: string;
  readonly commonName: string;
  /** openssl subjectAltName entries, e.g. `IP:10.0.0.1`, `DNS:node-1`. */
  readonly altNames: readonly string[];
}

const API_SERVER_CERT: ServingCertOptions = { name: 'apiserver', commonName: 'fluid-apiserver', altNames: ['IP:127.0.0.1', 'DNS:localhost'] };

/** A self-signed certificate kept in `dir` (made on first use; an existing one is reused as is). */
export function ensureServingCert(dir: string, o: ServingCertOptions = API_SERVER_CERT): ServingCert {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certPath = join(dir, `${o.name}.crt`);
  const keyPath = join(dir, `${o.name}.key`);
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    const r = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '3650', '-subj', `/CN=${o.commonName}`,
      '-addext', `subjectAltName=${o.altNames.join(',')}`,
    ], { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new FluidError('TlsSetup', `could not create the ${o.name} serving certificate with openssl (is the openssl package installed?): ${(r.stderr || String(r.error ?? '')).trim()}`);
    }
  }
  chmodSync(keyPath, 0o600);
  return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath };
}

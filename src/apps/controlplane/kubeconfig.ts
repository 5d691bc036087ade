// Writes HOME/kubeconfig (mode 0600, it holds the bearer token): cluster `fluid` at
// https://HOST:PORT (trusting the server's self-signed certificate), user `fluid` with the token, context `fluid` with namespace default.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function writeKubeconfig(path: string, server: string, token: string, caPem: string): void {
  const doc = {
    apiVersion: 'v1', kind: 'Config', preferences: {},
    clusters: [{ name: 'fluid', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: 'fluid', user: { token } }],
    contexts: [{ name: 'fluid', context: { cluster: 'fluid', user: 'fluid', namespace: 'default' } }],
    'current-context': 'fluid',
  };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, stringify(doc), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

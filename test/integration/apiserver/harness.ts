// Test harness for the API server: a control plane (`fluid up`) or a bare API server
// (`fluid apiserver`) in a temp home, the real kubectl pointed at it, and a raw HTTPS client
// that trusts the server's certificate and carries (or omits) the bearer token.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Cleanup, runFluid, startFluid, waitFor, type Proc } from '../../support/proc.js';

export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface Cluster {
  readonly home: string;
  readonly kubeconfig: string;
  kubectl(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): { code: number; stdout: string; stderr: string };
  api(method: string, path: string, opts?: { body?: unknown; raw?: string | Buffer; contentType?: string; token?: string | null; accept?: string }): Promise<HttpResult>;
}

interface KubeconfigDoc {
  clusters: { cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users: { user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string; 'client-certificate'?: string; 'client-key'?: string } }[];
}

export type ApiCall = Cluster['api'];

/**
 * A raw HTTPS client for the first cluster and user of a kubeconfig: bearer token or client
 * certificate, the CA from certificate-authority-data. Works for `fluid up`'s kubeconfig and a
 * real kube-apiserver's alike. The file is read on each call (the port may change on restart).
 */
export function kubeconfigClient(kubeconfig: string): ApiCall {
  const read = (): { server: URL; ca: string | undefined; insecure: boolean; token: string | undefined; cert: string | undefined; key: string | undefined } => {
    const doc = parse(readFileSync(kubeconfig, 'utf8')) as KubeconfigDoc;
    const c = doc.clusters[0]?.cluster;
    const u = doc.users[0]?.user ?? {};
    if (!c) throw new Error(`no cluster in ${kubeconfig}`);
    // Each credential either inline (base64 `-data`) or as a file path, as kubectl accepts both.
    const pick = (data: string | undefined, file: string | undefined): string | undefined =>
      data !== undefined ? Buffer.from(data, 'base64').toString('utf8') : file !== undefined ? readFileSync(file, 'utf8') : undefined;
    return {
      server: new URL(c.server), ca: pick(c['certificate-authority-data'], c['certificate-authority']), insecure: c['insecure-skip-tls-verify'] === true, token: u.token,
      cert: pick(u['client-certificate-data'], u['client-certificate']), key: pick(u['client-key-data'], u['client-key']),
    };
  };
  return (method, path, opts = {}) => {
    const { server, ca, insecure, token, cert, key } = read();
    const payload = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
    if (opts.token !== null) {
      const t = opts.token ?? token;
      if (t !== undefined) headers.Authorization = `Bearer ${t}`;
    }
    if (payload !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
    const withClientCert = opts.token !== null && cert !== undefined && key !== undefined;
    return new Promise<HttpResult>((resolve, reject) => {
      const req = request({
        host: server.hostname, port: server.port || 443, path, method, headers,
        ...(ca !== undefined ? { ca } : {}), ...(insecure ? { rejectUnauthorized: false } : {}),
        ...(withClientCert ? { cert, key } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };
}

export function clusterFor(home: string): Cluster {
  const kubeconfig = join(home, 'kubeconfig');
  return {
    home,
    kubeconfig,
    kubectl(args, opts = {}) {
      const r = spawnSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], {
        encoding: 'utf8', input: opts.input, env: { ...process.env, ...opts.env }, timeout: 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    api: kubeconfigClient(kubeconfig),
  };
}

/** `fluid up --home <tmp>`; `fluid down` at test end. */
export function upCluster(t: Cleanup): Cluster {
  // One cleanup, in this order: `fluid down` needs the home's controlplane.json, so the home goes last.
  const home = mkdtempSync(join(tmpdir(), 'fluid-apiserver-'));
  t.after(() => {
    runFluid(['down', '--home', home]);
    rmSync(home, { recursive: true, force: true });
  });
  const r = runFluid(['up', '--home', home]);
  if (r.code !== 0) throw new Error(`fluid up failed (${r.code}): ${r.stdout}${r.stderr}`);
  return clusterFor(home);
}

/** `fluid apiserver --home HOME --port PORT` in the foreground (killed at test end). */
export async function startApiServerProcess(t: Cleanup, home: string, port: number, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; cluster: Cluster }> {
  const proc = startFluid(t, ['apiserver', '--home', home, '--port', String(port), ...extra], { env: { ...process.env, ...env } });
  const cluster = clusterFor(home);
  await waitFor('the API server to answer', async () => {
    if (proc.child.exitCode !== null) throw new Error(`fluid apiserver exited: ${proc.output()}`);
    const state = JSON.parse(readFileSync(join(home, 'controlplane.json'), 'utf8')) as { pid: number };
    if (state.pid !== proc.child.pid) return false;
    return (await cluster.api('GET', '/readyz', { token: null })).status === 200;
  }, 60_000, 100);
  return { proc, cluster };
}

// Runs the fluid-ts controllers as a pod on a real cluster: a pod of image fluid-ts/engine whose
// container runs `fluid controllers ...` (deploy/cluster/fluid-system.yaml's Deployment). As the
// kubelet does for a service account, the agent asks the API server for a token bound to this pod
// (TokenRequest on serviceaccounts/<name>/token; the Node authorizer allows it for pods bound to
// this node) and hands it to the process as a kubeconfig file of mode 0600 in the pod's directory;
// the token never appears in args, env or logs. Readiness: the process is running.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_IMAGE } from '../../core/workloads/names.js';
import type { Pod } from '../../core/workloads/kube-object.js';
import { PodPrepareError, type PodEnvironment, type PodRunner, type PreparedContainer } from './pod-runner.js';
import { containerEnv } from './engine-runner.js';

/** Lifetime asked for the pod's token. The process reads its kubeconfig once, at start. */
const TOKEN_SECONDS = 7 * 24 * 3600;
const SERVICE_ACCOUNT = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true } as const;

function isControllers(pod: Pod): boolean {
  const c = pod.spec.containers[0];
  return pod.spec.containers.length === 1 && (c?.image ?? '').split(':')[0] === ENGINE_IMAGE && (c?.command ?? [])[0] === 'fluid' && (c?.args ?? [])[0] === 'controllers';
}

export const controllersRunner: PodRunner = {
  name: 'controllers',
  claims: isControllers,
  async prepare(pod: Pod, penv: PodEnvironment): Promise<PreparedContainer> {
    const container = pod.spec.containers[0];
    if (!container) throw new PodPrepareError('NoContainer', 'pod has no container');
    const ns = pod.metadata.namespace ?? 'default';
    const sa = pod.spec.serviceAccountName ?? 'default';
    let token: string;
    try {
      const tr = await penv.client.createSubresource<{ status?: { token?: string } }>(SERVICE_ACCOUNT, ns, sa, 'token', {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
        spec: { expirationSeconds: TOKEN_SECONDS, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid } },
      });
      token = tr.status?.token ?? '';
    } catch (err) {
      throw new PodPrepareError('ServiceAccountTokenFailed', `requesting a token for service account ${ns}/${sa}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!token) throw new PodPrepareError('ServiceAccountTokenFailed', `the API server answered no token for service account ${ns}/${sa}`);
    const trust = penv.client.serverTrust();
    const dir = join(penv.podDir, 'serviceaccount');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const kubeconfig = join(dir, 'kubeconfig');
    const ca = trust.caData ? `certificate-authority-data: ${trust.caData}` : trust.caFile ? `certificate-authority: ${JSON.stringify(trust.caFile)}` : 'insecure-skip-tls-verify: false';
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', '- name: cluster', '  cluster:', `    server: ${JSON.stringify(trust.server)}`, `    ${ca}`,
      'users:', `- name: ${JSON.stringify(`${ns}/${sa}`)}`, '  user:', `    token: ${JSON.stringify(token)}`,
      'contexts:', '- name: in-cluster', `  context: { cluster: cluster, user: ${JSON.stringify(`${ns}/${sa}`)}, namespace: ${JSON.stringify(ns)} }`,
      'current-context: in-cluster', '',
    ].join('\n'), { mode: 0o600 });
    chmodSync(kubeconfig, 0o600);
    const args = [...(container.args ?? []), '--kubeconfig', kubeconfig, '--home', penv.home, '--node', penv.nodeName];
    return {
      container: container.name,
      image: container.image,
      command: process.execPath,
      args: ['--enable-source-maps', penv.cliEntry, ...args],
      env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...containerEnv(pod, container, penv.nodeName, penv.address) },
      cwd: penv.podDir,
      annotations: {},
      ready: () => Promise.resolve(true),
      afterExit: () => undefined,
    };
  },
};

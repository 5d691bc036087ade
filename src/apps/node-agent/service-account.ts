// A pod's service account credentials, as the kubelet provides them: the agent asks the API server
// for a token bound to the pod (TokenRequest on serviceaccounts/<name>/token; the Node authorizer
// allows it for pods bound to this node) and hands it to the process as a kubeconfig file of mode
// 0600 in the pod's directory. The token never appears in args, env or logs.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '../../core/workloads/kube-object.js';
import { PodPrepareError, type PodEnvironment } from './pod-runner.js';

/** Lifetime asked for the pod's token. The process reads its kubeconfig once, at start. */
const TOKEN_SECONDS = 7 * 24 * 3600;
const SERVICE_ACCOUNT = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true } as const;

/** Writes HOME/pods/<ns>/<pod>/serviceaccount/kubeconfig (0600) for the pod's service account; returns its path. */
export async function serviceAccountKubeconfig(pod: Pod, penv: PodEnvironment): Promise<string> {
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
  return kubeconfig;
}

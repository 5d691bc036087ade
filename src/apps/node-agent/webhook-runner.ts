// Runs the cache-affinity webhook as a pod on a real cluster: a pod of image fluid-ts/engine whose
// container runs `fluid webhook ...` (the Helm chart's webhook Deployment). Its TLS Secret volume is
// materialised on the host and the certificate paths in its args are rewritten to host paths; it
// gets its service account's token as a kubeconfig file (service-account.ts). Readiness: the TLS
// server answers GET /healthz (the chart's readinessProbe), so that the Service's endpoints (the
// address kube-apiserver calls) list the pod only once it serves.
import https from 'node:https';
import { ENGINE_IMAGE } from '../../core/workloads/names.js';
import type { Pod } from '../../core/workloads/kube-object.js';
import { expandVars, toHostPath } from '../../core/workloads/path-map.js';
import { PodPrepareError, type PodEnvironment, type PodRunner, type PreparedContainer } from './pod-runner.js';
import { containerEnv } from './engine-runner.js';
import { serviceAccountKubeconfig } from './service-account.js';
import { materializeVolumes } from './volumes.js';

function isWebhook(pod: Pod): boolean {
  const c = pod.spec.containers[0];
  return pod.spec.containers.length === 1 && (c?.image ?? '').split(':')[0] === ENGINE_IMAGE && (c?.command ?? [])[0] === 'fluid' && (c?.args ?? [])[0] === 'webhook';
}

/** GET https://address:port/healthz. The probe checks that the server serves, not who it is (as the kubelet's HTTPS probes do). */
function probe(address: string, port: number, signal: AbortSignal): Promise<{ ready: boolean; message: string }> {
  return new Promise((resolve) => {
    const req = https.get({ host: address, port, path: '/healthz', rejectUnauthorized: false, timeout: 2_000, signal }, (res) => {
      res.resume();
      resolve({ ready: res.statusCode === 200, message: res.statusCode === 200 ? '' : `health check ${res.statusCode ?? 0}` });
    });
    req.on('timeout', () => req.destroy(new Error('health check timed out after 2s')));
    req.on('error', (err) => resolve({ ready: false, message: `health check failed: ${err.message}` }));
  });
}

export const webhookRunner: PodRunner = {
  name: 'webhook',
  claims: isWebhook,
  async prepare(pod: Pod, penv: PodEnvironment): Promise<PreparedContainer> {
    const container = pod.spec.containers[0];
    if (!container) throw new PodPrepareError('NoContainer', 'pod has no container');
    const env = containerEnv(pod, container, penv.nodeName, penv.address);
    // The ServiceAccount admission plugin's projected token volume (kube-api-access-*) is not
    // materialised: the process gets the same credentials as --kubeconfig below.
    const projected = new Set((pod.spec.volumes ?? []).filter((v) => 'projected' in v).map((v) => v.name));
    const mounts = (container.volumeMounts ?? []).filter((m) => !projected.has(m.name));
    const { mappings } = await materializeVolumes(penv.client, penv.home, penv.podDir, pod, { ...container, volumeMounts: mounts }, penv.hostRoot);
    const args = (container.args ?? []).map((a) => {
      const x = expandVars(a, env);
      return x.startsWith('/') ? toHostPath(mappings, x) : x;
    });
    const pi = args.indexOf('--port');
    const port = pi >= 0 ? Number(args[pi + 1]) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PodPrepareError('NoPort', 'webhook container args lack --port N (1-65535)');
    const kubeconfig = await serviceAccountKubeconfig(pod, penv);
    return {
      container: container.name,
      image: container.image,
      command: process.execPath,
      args: ['--enable-source-maps', penv.cliEntry, ...args, '--kubeconfig', kubeconfig],
      env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...env },
      cwd: penv.podDir,
      annotations: {},
      ready: (signal) => probe(penv.address, port, signal),
      afterExit: () => undefined,
    };
  },
};

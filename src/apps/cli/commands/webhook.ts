// `fluid webhook --tls-cert-file FILE --tls-key-file FILE [--port N] [--address IP] [--kubeconfig FILE]`:
// the cache-affinity MutatingAdmissionWebhook (apps/webhook), until SIGTERM/SIGINT. Without
// --kubeconfig it uses the pod's in-cluster service account.
import { readFileSync } from 'node:fs';
import { UsageError } from '../../../core/errors.js';
import { KubeClient } from '../../../adapters/kube/kube-client.js';
import { WebhookServer } from '../../webhook/webhook-server.js';
import { runUntilSignal } from '../../controllers/run-until-signal.js';
import type { Command } from '../command.js';
import { parseArgs } from './controllers.js';

export const command: Command = {
  summary: 'run the cache-affinity admission webhook: webhook --tls-cert-file FILE --tls-key-file FILE [--port 9443] [--address IP] [--kubeconfig FILE]',
  async run(args: string[]): Promise<number> {
    const o = parseArgs(args, ['tls-cert-file', 'tls-key-file', 'port', 'address', 'kubeconfig'], []);
    const certFile = o.get('tls-cert-file');
    const keyFile = o.get('tls-key-file');
    if (!certFile || !keyFile) throw new UsageError('webhook: --tls-cert-file FILE and --tls-key-file FILE are required (kube-apiserver calls webhooks over TLS only)');
    const port = Number(o.get('port') ?? '9443');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`webhook: --port: expected a port number 0-65535, got "${o.get('port') ?? ''}"`);
    const read = (flag: string, f: string): Buffer => {
      try {
        return readFileSync(f);
      } catch (err) {
        throw new UsageError(`webhook: --${flag} ${f}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    const kubeconfig = o.get('kubeconfig');
    const server = new WebhookServer({
      client: kubeconfig ? KubeClient.fromKubeconfig(kubeconfig) : KubeClient.inCluster(),
      cert: read('tls-cert-file', certFile), key: read('tls-key-file', keyFile),
      host: o.get('address') ?? '0.0.0.0', port,
      log: (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
    });
    await server.start();
    return runUntilSignal(() => server.stop());
  },
};

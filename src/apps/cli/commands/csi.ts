// `fluid csi --endpoint unix:///PATH/csi.sock --node-id NAME [--kubeconfig FILE] [--publish-timeout SECONDS]`:
// the CSI node plugin fuse.csi.fluid.io (Identity + Node services over gRPC), until SIGTERM/SIGINT.
// The kubeconfig (flag, else $KUBECONFIG) is the identity the plugin labels nodes and lists pods with.
import { UsageError } from '../../../core/errors.js';
import { KubeClient } from '../../../adapters/kube/kube-client.js';
import { CsiGrpcServer, unixSocketPath } from '../../../adapters/csi/csi-grpc-server.js';
import { IdentityMethods, NodeMethods } from '../../../adapters/csi/csi-proto.js';
import { NodePlugin } from '../../csi/node-plugin.js';
import type { Command } from '../command.js';
import { parseArgs } from './controllers.js';
import { runUntilSignal } from '../../controllers/run-until-signal.js';

export const command: Command = {
  summary: 'run the CSI node plugin fuse.csi.fluid.io: csi --endpoint unix:///PATH/csi.sock --node-id NAME [--kubeconfig FILE] [--publish-timeout SECONDS]',
  async run(args: string[]): Promise<number> {
    const o = parseArgs(args, ['endpoint', 'node-id', 'kubeconfig', 'publish-timeout'], []);
    const endpoint = o.get('endpoint');
    const nodeId = o.get('node-id');
    if (!endpoint) throw new UsageError('--endpoint unix:///PATH/csi.sock is required');
    if (!nodeId) throw new UsageError('--node-id NAME is required (the Kubernetes Node name this plugin serves)');
    try {
      unixSocketPath(endpoint);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const kubeconfig = o.get('kubeconfig') ?? process.env['KUBECONFIG'];
    if (!kubeconfig) throw new UsageError('--kubeconfig FILE is required when $KUBECONFIG is not set');
    const timeoutText = o.get('publish-timeout') ?? '120';
    const timeoutS = Number(timeoutText);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--publish-timeout must be a positive number of seconds, got ${JSON.stringify(timeoutText)}`);
    const log = (m: string): void => { process.stderr.write(`${new Date().toISOString()} ${m}\n`); };
    const plugin = new NodePlugin({ nodeId, client: KubeClient.fromKubeconfig(kubeconfig), publishTimeoutMs: timeoutS * 1000, log });
    const server = new CsiGrpcServer([
      { methods: IdentityMethods, handlers: plugin.identityHandlers() },
      { methods: NodeMethods, handlers: plugin.nodeHandlers() },
    ], log);
    await server.listen(endpoint);
    log(`CSI plugin fuse.csi.fluid.io serving node ${nodeId} on ${endpoint}`);
    return runUntilSignal(async () => {
      plugin.close();
      await server.close();
    });
  },
};

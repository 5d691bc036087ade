// A CSI client over a unix socket: what the kubelet's side (the node agent) calls the plugin with.
// A failed call rejects with CsiCallError carrying the gRPC status name and the plugin's message.
import * as grpc from '@grpc/grpc-js';
import { FluidError } from '../../core/errors.js';
import { decodeMessage, encodeMessage, IdentityMethods, NodeMethods, type IdentityMethodName, type NodeMethodName } from './csi-proto.js';
import { unixSocketPath } from './csi-grpc-server.js';

export class CsiCallError extends FluidError {
  constructor(readonly method: string, readonly status: string, readonly details: string) {
    super(status, `${method}: ${status}: ${details}`);
  }
}

export class CsiGrpcClient {
  private readonly client: grpc.Client;

  constructor(endpoint: string) {
    this.client = new grpc.Client(`unix://${unixSocketPath(endpoint)}`, grpc.credentials.createInsecure());
  }

  async call(name: IdentityMethodName | NodeMethodName, request: object, timeoutMs = 180_000): Promise<Record<string, unknown>> {
    const m = name in IdentityMethods ? IdentityMethods[name as IdentityMethodName] : NodeMethods[name as NodeMethodName];
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(m.path, (v: object) => encodeMessage(m.request, v), (b: Buffer) => decodeMessage(m.response, b), request,
        { deadline: Date.now() + timeoutMs },
        (err: grpc.ServiceError | null, res?: Record<string, unknown>) => {
          if (err) reject(new CsiCallError(name, grpc.status[err.code] ?? String(err.code), err.details));
          else resolve(res ?? {});
        });
    });
  }

  close(): void {
    this.client.close();
  }
}

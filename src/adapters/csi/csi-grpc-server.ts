// Serves CSI handlers over gRPC on a unix socket (the kubelet's transport for CSI plugins).
// A handler throws CsiError to fail with that status; anything else fails with INTERNAL and its
// message. Methods without a handler answer UNIMPLEMENTED (grpc-js does this for unknown paths).
import { rmSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { CsiError, type CsiStatus } from '../../core/csi/csi-error.js';
import { decodeMessage, encodeMessage, type CsiMethod } from './csi-proto.js';

export type CsiHandler = (request: Record<string, unknown>) => Promise<object>;

const STATUS: Record<CsiStatus, grpc.status> = {
  InvalidArgument: grpc.status.INVALID_ARGUMENT,
  NotFound: grpc.status.NOT_FOUND,
  AlreadyExists: grpc.status.ALREADY_EXISTS,
  FailedPrecondition: grpc.status.FAILED_PRECONDITION,
  DeadlineExceeded: grpc.status.DEADLINE_EXCEEDED,
  Unavailable: grpc.status.UNAVAILABLE,
  Internal: grpc.status.INTERNAL,
  Unimplemented: grpc.status.UNIMPLEMENTED,
};

/** The socket path of a `unix:///abs/path` (or `unix:/abs/path`) endpoint; other schemes are refused. */
export function unixSocketPath(endpoint: string): string {
  const m = /^unix:(?:\/\/)?(\/.+)$/.exec(endpoint);
  if (!m?.[1]) throw new CsiError('InvalidArgument', `--endpoint must be unix:///ABSOLUTE/PATH, got ${JSON.stringify(endpoint)}`);
  return m[1];
}

export interface CsiService {
  readonly methods: Readonly<Record<string, CsiMethod>>;
  readonly handlers: Readonly<Record<string, CsiHandler>>;
}

export class CsiGrpcServer {
  private readonly server = new grpc.Server();

  constructor(services: readonly CsiService[], private readonly log: (msg: string) => void) {
    for (const svc of services) {
      const def: Record<string, grpc.MethodDefinition<object, object>> = {};
      const impl: grpc.UntypedServiceImplementation = {};
      for (const [name, handler] of Object.entries(svc.handlers)) {
        const m = svc.methods[name];
        if (!m) throw new TypeError(`no CSI method ${name}`);
        def[name] = {
          path: m.path, requestStream: false, responseStream: false, originalName: name,
          requestSerialize: (v: object) => encodeMessage(m.request, v),
          requestDeserialize: (b: Buffer) => decodeMessage(m.request, b),
          responseSerialize: (v: object) => encodeMessage(m.response, v),
          responseDeserialize: (b: Buffer) => decodeMessage(m.response, b),
        };
        impl[name] = ((call: grpc.ServerUnaryCall<Record<string, unknown>, object>, cb: grpc.sendUnaryData<object>) => {
          handler(call.request).then((res) => cb(null, res), (err: unknown) => {
            const code = err instanceof CsiError ? STATUS[err.status] : grpc.status.INTERNAL;
            const details = err instanceof Error ? err.message : String(err);
            this.log(`${name}: ${grpc.status[code]}: ${details}`);
            cb({ code, details });
          });
        }) as grpc.handleUnaryCall<Record<string, unknown>, object>;
      }
      this.server.addService(def as grpc.ServiceDefinition, impl);
    }
  }

  /** Listens on the endpoint's socket, replacing a stale socket file a previous run left. */
  async listen(endpoint: string): Promise<void> {
    const path = unixSocketPath(endpoint);
    rmSync(path, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.bindAsync(`unix://${path}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

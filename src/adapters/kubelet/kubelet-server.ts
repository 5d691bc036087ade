// The kubelet's server API, the part the kube-apiserver proxies to (its --kubelet-client-certificate
// over HTTPS, to the Node's address and status.daemonEndpoints.kubeletEndpoint.Port):
//   GET  /containerLogs/{ns}/{pod}/{container}?follow=&tailLines=&limitBytes=   kubectl logs
//   POST /exec/{ns}/{pod}/{container}?command=..&input=1&output=1&error=1&tty=1  kubectl exec
//        (Upgrade: SPDY/3.1, X-Stream-Protocol-Version negotiated: v4.channel.k8s.io; spdy-exec.ts)
//   GET  /healthz
// Authentication: a client certificate that chains to --client-ca-file (else 401). Authorization:
// a subject in group system:masters (the apiserver's kubelet client, as kubeadm issues it) is
// allowed; anyone else is asked about with a SubjectAccessReview for nodes/proxy on this node (verb
// get, or create for exec), as the kubelet's webhook authorizer does; an error there is a 403.
// Only pods the caller's lookup knows (those bound to this node) are served: others get 404.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { KubeClient, ResourceType } from '../kube/kube-client.js';
import type { KubeObject } from '../store/object-store.js';
import type { KubeObject as ApiObject } from '../../core/workloads/kube-object.js';
import { servePodLog } from '../apiserver/pod-logs.js';
import { ApiError } from '../apiserver/status-errors.js';
import { execTarget, parseExecRequest } from '../apiserver/pod-exec.js';
import { SPDY_EXEC_PROTOCOLS, negotiateProtocol, runSpdyExec } from './spdy-exec.js';

const SUBJECT_ACCESS_REVIEW: ResourceType = { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', namespaced: false };

export interface KubeletServerOptions {
  readonly nodeName: string;
  readonly address: string;
  readonly port: number;
  readonly certPem: string;
  readonly keyPem: string;
  /** PEM of the CA that signs the clients allowed in (the cluster CA). */
  readonly clientCaPem: string;
  /** HOME/pods: logs at <ns>/<pod>/<container>.log, exec state beside them. */
  readonly podRoot: string;
  /** This node's pod by namespace and name (undefined: not on this node). */
  readonly pod: (namespace: string, name: string) => KubeObject | undefined;
  /** For SubjectAccessReviews of callers outside system:masters. */
  readonly client: KubeClient;
  readonly log: (msg: string) => void;
}

interface Caller {
  readonly user: string;
  readonly groups: readonly string[];
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

class HttpError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export class KubeletServer {
  private readonly server: Server;
  private readonly sessions = new Set<Duplex>();

  constructor(private readonly o: KubeletServerOptions) {
    this.server = createServer({ cert: o.certPem, key: o.keyPem, ca: o.clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      void this.request(req, res);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.address, () => { this.server.off('error', reject); resolve(); });
    });
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : this.o.port;
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** 401 without a certificate of the client CA. */
  private authenticate(req: IncomingMessage): Caller {
    const sock = req.socket as TLSSocket;
    if (!sock.authorized) throw new HttpError(401, 'Unauthorized', `Unauthorized: a client certificate signed by the cluster CA is required (${String(sock.authorizationError ?? 'none presented')})`);
    const subject = sock.getPeerCertificate().subject as unknown as Record<string, string | string[] | undefined>;
    return { user: asList(subject['CN'])[0] ?? '', groups: asList(subject['O']) };
  }

  /** 403 unless the caller may use nodes/proxy on this node. */
  private async authorize(c: Caller, verb: 'get' | 'create', subresource: string): Promise<void> {
    if (c.groups.includes('system:masters')) return;
    let allowed = false;
    let why = '';
    try {
      const r = await this.o.client.create<ApiObject>(SUBJECT_ACCESS_REVIEW, {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: { name: '' },
        spec: { user: c.user, groups: [...c.groups], resourceAttributes: { verb, resource: 'nodes', subresource: 'proxy', name: this.o.nodeName } },
      } as ApiObject);
      const st = r.status as { allowed?: unknown; reason?: unknown } | undefined;
      allowed = st?.allowed === true;
      why = typeof st?.reason === 'string' ? st.reason : '';
    } catch (err) {
      why = `the SubjectAccessReview failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!allowed) throw new HttpError(403, 'Forbidden', `Forbidden (user=${c.user}, verb=${verb}, resource=nodes, subresource=${subresource}, node=${this.o.nodeName})${why ? `: ${why}` : ''}`);
  }

  /** /kind/{ns}/{pod}/{container} (an optional uid before the container is accepted and ignored). */
  private target(path: string, kind: string): { pod: KubeObject; container: string } {
    const parts = path.split('/').filter((x) => x !== '').map(decodeURIComponent);
    if (parts[0] !== kind || parts.length < 4 || parts.length > 5) throw new HttpError(404, 'NotFound', `404 page not found: ${path}`);
    const [, ns = '', name = ''] = parts;
    const container = parts[parts.length - 1] ?? '';
    const pod = this.o.pod(ns, name);
    if (!pod) throw new HttpError(404, 'NotFound', `pod "${name}" in namespace "${ns}" does not exist on node ${this.o.nodeName}`);
    return { pod, container };
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    try {
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      const caller = this.authenticate(req);
      if (!url.pathname.startsWith('/containerLogs/')) throw new HttpError(404, 'NotFound', `404 page not found: ${url.pathname} (this node agent serves /containerLogs and /exec)`);
      if (req.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${String(req.method)} is not allowed on /containerLogs`);
      await this.authorize(caller, 'get', 'log');
      const { pod, container } = this.target(url.pathname, 'containerLogs');
      if (url.searchParams.get('previous') === 'true') throw new HttpError(400, 'BadRequest', 'previous=true is not supported: this node agent keeps one log per container, continued across restarts');
      const params = new URLSearchParams(url.searchParams);
      params.set('container', container);
      const ns = String(pod.metadata.namespace);
      const name = String(pod.metadata.name);
      servePodLog(res, this.o.podRoot, pod, params, () => this.o.pod(ns, name)?.metadata.uid === pod.metadata.uid);
    } catch (err) {
      this.fail(res, err);
    }
  }

  private fail(res: ServerResponse, err: unknown): void {
    const e = httpError(err);
    if (e.status >= 500) this.o.log(`kubelet server: ${e.message}`);
    if (res.headersSent) { res.end(); return; }
    res.writeHead(e.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${e.message}\n`);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    try {
      const caller = this.authenticate(req);
      if (!url.pathname.startsWith('/exec/')) throw new HttpError(404, 'NotFound', `404 page not found: ${url.pathname} (this node agent streams /exec only)`);
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') throw new HttpError(400, 'BadRequest', `unable to upgrade: the kubelet API streams exec over SPDY/3.1, not ${String(req.headers.upgrade)}`);
      await this.authorize(caller, 'create', 'exec');
      const { pod, container } = this.target(url.pathname, 'exec');
      // The kubelet's query names: input/output/error/tty (the apiserver's stdin/stdout/stderr/tty).
      const q = url.searchParams;
      const params = new URLSearchParams();
      for (const c of q.getAll('command')) params.append('command', c);
      params.set('container', container);
      const on = (k: string): string => (q.get(k) === '1' || q.get(k) === 'true' ? 'true' : 'false');
      params.set('stdin', on('input'));
      params.set('stdout', on('output'));
      params.set('stderr', on('error'));
      params.set('tty', on('tty'));
      const r = parseExecRequest(pod, params);
      const t = execTarget(this.o.podRoot, pod, r);
      const protocol = negotiateProtocol(asList(req.headers['x-stream-protocol-version']));
      if (!protocol) {
        throw new HttpError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${asList(req.headers['x-stream-protocol-version']).join(' ')}], server accepts [${SPDY_EXEC_PROTOCOLS.join(' ')}]`);
      }
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
      this.sessions.add(socket);
      socket.once('close', () => this.sessions.delete(socket));
      runSpdyExec(socket, head, r, t, (msg) => this.o.log(`exec ${String(pod.metadata.namespace)}/${String(pod.metadata.name)}: ${msg}`));
    } catch (err) {
      const e = httpError(err);
      if (e.status >= 500) this.o.log(`kubelet server: ${e.message}`);
      const body = `${e.message}\n`;
      socket.end(`HTTP/1.1 ${e.status} ${e.reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
  }
}

function httpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ApiError) return new HttpError(err.httpStatus, err.reason, err.message);
  return new HttpError(500, 'InternalError', err instanceof Error ? err.message : String(err));
}

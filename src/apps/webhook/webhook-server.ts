// `fluid webhook`: the MutatingAdmissionWebhook kube-apiserver calls for pod creations in
// namespaces labelled fluid.io/enable-injection=true (the chart's MutatingWebhookConfiguration).
// POST /mutate-pods answers an admission.k8s.io/v1 AdmissionReview with the cache-affinity patch
// (core/admission/cache-affinity.ts); GET /healthz answers ok. TLS only.
//
// The webhook never rejects a pod: when it cannot look up the namespace or a claim it admits the
// pod unchanged with a warning, so a failure here costs a pod its steering, never its creation.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { R } from '../../adapters/kube/resources.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';
import { AdmissionReviewError, parsePodReview, podReviewResponse } from '../../core/admission/admission-review.js';
import { cacheAffinity, datasetOfClaim, podClaimNames, type DatasetRef } from '../../core/admission/cache-affinity.js';

const NAMESPACE = { group: '', version: 'v1', plural: 'namespaces', namespaced: false } as const;
/** AdmissionReview bodies are bounded by kube-apiserver's request size; refuse more than this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface WebhookServerOptions {
  readonly client: KubeClient;
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  readonly host: string;
  readonly port: number;
  readonly log: (msg: string) => void;
}

export class WebhookServer {
  private readonly server: https.Server;

  constructor(private readonly opts: WebhookServerOptions) {
    this.server = https.createServer({ cert: opts.cert, key: opts.key, minVersion: 'TLSv1.2' }, (req, res) => { void this.handle(req, res); });
  }

  async start(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => { this.server.off('error', reject); resolve(); });
    });
    const a = this.server.address() as AddressInfo;
    this.opts.log(`webhook serving https://${a.address}:${a.port}/mutate-pods`);
    return a;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && (url === '/healthz' || url === '/readyz')) { send(res, 200, 'text/plain', 'ok'); return; }
    if (url !== '/mutate-pods') { send(res, 404, 'text/plain', `no handler for ${url ?? ''}; POST /mutate-pods`); return; }
    if (req.method !== 'POST') { send(res, 405, 'text/plain', 'POST an admission.k8s.io/v1 AdmissionReview'); return; }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      send(res, 400, 'text/plain', `body: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    let request;
    try {
      request = parsePodReview(body);
    } catch (err) {
      if (err instanceof AdmissionReviewError) { send(res, 400, 'text/plain', err.message); return; }
      throw err;
    }
    const warnings: string[] = [];
    let labels: Record<string, string> | undefined;
    const datasets = new Map<string, DatasetRef>();
    try {
      labels = (await this.opts.client.get<KubeObject>(NAMESPACE, undefined, request.namespace))?.metadata.labels ?? {};
      for (const claim of podClaimNames(request.pod)) {
        const d = datasetOfClaim(await this.opts.client.get(R.pvc, request.namespace, claim));
        if (d) datasets.set(claim, d);
      }
    } catch (err) {
      labels = undefined;
      warnings.push(`fluid webhook: cache affinity not applied: ${err instanceof Error ? err.message : String(err)}`);
    }
    const result = cacheAffinity(request.pod, labels, datasets);
    this.opts.log(result.changed
      ? `pod ${request.podKey}: cache affinity to ${result.datasets.map((d) => `${d.namespace}/${d.name}`).join(', ')}`
      : `pod ${request.podKey}: unchanged (${warnings[0] ?? result.reason})`);
    send(res, 200, 'application/json', JSON.stringify(podReviewResponse(request.uid, result, warnings)));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) { req.destroy(); reject(new Error(`larger than ${MAX_BODY_BYTES} bytes`)); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// A thin typed client of the Kubernetes API, built from a kubeconfig file. Authentication and TLS
// come from @kubernetes/client-node's KubeConfig (so in-cluster, token, client-cert and exec auth
// all work against a real cluster); requests are plain REST over node:http(s), which keeps the
// surface small: get/list/create/replace/patch/delete and a streaming watch for any resource.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeWatchExpiredError } from './kube-errors.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';

/** Identifies a resource collection, e.g. { group: 'data.fluid.io', version: 'v1alpha1', plural: 'datasets' }. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface ObjectList<T> {
  readonly items: T[];
  readonly resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only this incarnation (e.g. the pod with this uid, not a same-named successor). */
  readonly preconditions?: { readonly uid?: string };
}

export type PatchType = 'merge' | 'json' | 'strategic';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export class KubeClient {
  private constructor(private readonly kc: KubeConfig, private readonly server: URL) {}

  static fromKubeconfig(path: string): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError(0, 'BadConfig', `kubeconfig ${path} has no current cluster`);
    return new KubeClient(kc, new URL(cluster.server));
  }

  /** URL path of a collection or object. `namespace` is ignored for cluster-scoped kinds. */
  path(rt: ResourceType, namespace?: string, name?: string, sub?: string): string {
    const base = rt.group === '' ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
    const ns = rt.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${rt.plural}${name ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`;
  }

  async get<T extends KubeObject>(rt: ResourceType, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', this.path(rt, namespace, name));
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObject>(rt: ResourceType, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const q = new URLSearchParams();
    if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
    const qs = q.toString();
    const body = await this.request<{ items?: T[]; metadata?: { resourceVersion?: string } }>('GET', `${this.path(rt, namespace)}${qs ? `?${qs}` : ''}`);
    return { items: body.items ?? [], resourceVersion: body.metadata?.resourceVersion ?? '' };
  }

  async create<T extends KubeObject>(rt: ResourceType, obj: T): Promise<T> {
    return this.request<T>('POST', this.path(rt, obj.metadata.namespace), obj);
  }

  /** PUT; a stale resourceVersion throws KubeApiError with status 409 (isConflict()). */
  async replace<T extends KubeObject>(rt: ResourceType, obj: T): Promise<T> {
    return this.request<T>('PUT', this.path(rt, obj.metadata.namespace, obj.metadata.name), obj);
  }

  async replaceStatus<T extends KubeObject>(rt: ResourceType, obj: T): Promise<T> {
    return this.request<T>('PUT', this.path(rt, obj.metadata.namespace, obj.metadata.name, 'status'), obj);
  }

  async patch<T extends KubeObject>(rt: ResourceType, namespace: string | undefined, name: string, patch: unknown, opts: { type?: PatchType; status?: boolean } = {}): Promise<T> {
    return this.request<T>('PATCH', this.path(rt, namespace, name, opts.status ? 'status' : undefined), patch, PATCH_CONTENT_TYPE[opts.type ?? 'merge']);
  }

  /** Deletes; a missing object is not an error (returns false). */
  async delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<boolean> {
    try {
      await this.request('DELETE', this.path(rt, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return false;
      throw err;
    }
  }

  /**
   * Streams watch events from `resourceVersion` until the server closes the stream or `signal`
   * aborts; resolves then. A 410 Gone (or an ERROR event with 410) throws KubeWatchExpiredError:
   * the caller lists again.
   */
  async watch<T extends KubeObject>(rt: ResourceType, namespace: string | undefined, resourceVersion: string, onEvent: (e: WatchEvent<T>) => void, signal: AbortSignal, opts: ListOptions = {}): Promise<void> {
    const q = new URLSearchParams({ watch: 'true', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: '300' });
    if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
    const res = await this.open('GET', `${this.path(rt, namespace)}?${q.toString()}`, undefined, undefined, signal);
    if ((res.statusCode ?? 0) >= 300) {
      const text = await readAll(res);
      if (res.statusCode === 410) throw new KubeWatchExpiredError();
      throw KubeApiError.fromBody(res.statusCode ?? 0, text);
    }
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: { type: string; object: unknown };
          try {
            ev = JSON.parse(line) as { type: string; object: unknown };
          } catch {
            continue;
          }
          if (ev.type === 'ERROR') {
            const st = ev.object as { code?: number; message?: string };
            res.destroy();
            reject(st.code === 410 ? new KubeWatchExpiredError() : new KubeApiError(st.code ?? 500, 'WatchError', st.message ?? 'watch error'));
            return;
          }
          try {
            onEvent({ type: ev.type as WatchEventType, object: ev.object as T });
          } catch (err) {
            res.destroy();
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
      res.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
    });
  }

  /** POST to an object's subresource (e.g. serviceaccounts/<name>/token), answering the response object. */
  async createSubresource<T>(rt: ResourceType, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<T> {
    return this.request<T>('POST', this.path(rt, namespace, name, subresource), body);
  }

  /** The API server's URL and the CA that signs its certificate (for writing a pod's kubeconfig). */
  serverTrust(): { readonly server: string; readonly caFile?: string; readonly caData?: string } {
    const c = this.kc.getCurrentCluster();
    return { server: this.server.toString().replace(/\/$/, ''), ...(c?.caFile ? { caFile: c.caFile } : {}), ...(c?.caData ? { caData: c.caData } : {}) };
  }

  /** GET returning raw text (e.g. pod logs). */
  async getText(path: string): Promise<string> {
    const res = await this.open('GET', path);
    const text = await readAll(res);
    if ((res.statusCode ?? 0) >= 300) throw KubeApiError.fromBody(res.statusCode ?? 0, text);
    return text;
  }

  private async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.open(method, path, body, contentType);
    const text = await readAll(res);
    if ((res.statusCode ?? 0) >= 300) throw KubeApiError.fromBody(res.statusCode ?? 0, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async open(method: string, path: string, body?: unknown, contentType = 'application/json', signal?: AbortSignal): Promise<http.IncomingMessage> {
    const url = new URL(path, this.server);
    const opts: https.RequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json' },
    };
    await this.kc.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) opts.headers = { ...opts.headers, 'content-type': contentType, 'content-length': String(payload.length) };
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request({ ...opts, ...(signal ? { signal } : {}) }, resolve);
      req.on('error', (err) => reject(new KubeApiError(0, 'Unreachable', `${method} ${url.pathname}: ${err.message}`, { cause: err })));
      if (payload) req.write(payload);
      req.end();
    });
  }
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The embedded Kubernetes-compatible API server (node:http). Data flow per request:
// route -> (health: no auth) -> bearer auth -> discovery/OpenAPI or resource verb ->
// ResourceService -> ObjectStore; errors become kube Status bodies. Request bodies are never
// logged; the access log carries method, path, status and the resource, nothing else.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KindDefinition } from '../../api/kind.js';
import { FluidError } from '../../core/errors.js';
import { PatchError } from '../../core/patch/patch-error.js';
import { SelectorError } from '../../core/patch/label-selector.js';
import type { KubeObject, ObjectStore } from '../store/object-store.js';
import { isAuthorized } from './auth.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { GarbageCollector } from './garbage-collector.js';
import { KindRegistry, apiVersionOf } from './kind-registry.js';
import type { KindsPort } from './kinds-port.js';
import type { Logger } from './logger.js';
import { crdList, openapiV3Apiextensions, openapiV3ForGroupVersion, openapiV3Root } from './openapi.js';
import * as q from './query.js';
import { decodeBody, decodeBodyDetailed, readBody, type DecodedBody } from './request-body.js';
import { ResourceService, type PatchType, type RequestContext } from './resource-service.js';
import { route, type Route } from './router.js';
import { ApiError, badRequest, statusBody } from './status-errors.js';
import { serveWatch } from './watch.js';
import { servePodLog } from './pod-logs.js';
import { PodExec, rejectUpgrade } from './pod-exec.js';
import { serveScale } from './scale.js';

export interface ApiServerOptions {
  readonly store: ObjectStore;
  readonly kinds: KindsPort;
  readonly token: string;
  readonly log: Logger;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 = pick a free port. */
  readonly port: number;
  readonly clock?: () => Date;
  /** PEM certificate and key the server presents (https only). */
  readonly tls: { readonly certPem: string; readonly keyPem: string };
  /** Where the node agent writes container logs (<root>/<ns>/<pod>/<container>.log), for pods/log. */
  readonly podLogRoot?: string;
}

export interface RunningApiServer {
  readonly port: number;
  readonly host: string;
  readonly service: ResourceService;
  close(): Promise<void>;
}

type ResourceRoute = Extract<Route, { type: 'resource' }>;

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const registry = new KindRegistry(opts.kinds.kinds);
  const service = new ResourceService(opts.store, opts.kinds, registry);
  const clock = opts.clock ?? ((): Date => new Date());
  const host = opts.host ?? '127.0.0.1';
  const gc = new GarbageCollector(opts.store, service, opts.log.child({ component: 'gc' }), clock);
  let address = `${host}:${opts.port}`;

  const send = (res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void => {
    const text = JSON.stringify(body);
    const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) };
    if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - "${w.replace(/["\\]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`);
    res.writeHead(code, headers);
    res.end(text);
  };

  const table = (def: KindDefinition, objects: readonly KubeObject[], url: URL, listMeta: Record<string, unknown> | undefined): Record<string, unknown> => {
    const t = opts.kinds.toTable(def, objects, { now: clock(), includeObject: q.includeObject(url.searchParams) });
    const meta = (t.metadata ?? {}) as Record<string, unknown>;
    return { ...t, metadata: { ...meta, ...listMeta } };
  };

  const handleResource = async (req: IncomingMessage, res: ServerResponse, r: ResourceRoute, url: URL): Promise<void> => {
    const { def, namespace, name, subresource } = r;
    const params = url.searchParams;
    const ctx = (decodeIssues: readonly string[] = [], decodeWarnings: readonly string[] = decodeIssues): RequestContext => ({
      now: clock(), fieldValidation: q.fieldValidation(params), dryRun: q.dryRun(params), warnings: [], decodeIssues, decodeWarnings,
    });
    const duplicateIssues = (d: DecodedBody): string[] => [
      ...d.duplicates.map((p) => `duplicate field "${p}"`),
      ...(d.yamlDuplicates.length > 0 ? [`yaml: unmarshal errors:\n  ${d.yamlDuplicates.join('\n  ')}`] : []),
      ...d.dropped.map((p) => `unknown field "${p}"`),
    ];
    const decodeContext = (d: DecodedBody): RequestContext => ctx(duplicateIssues(d), [
      ...d.duplicates.map((p) => `duplicate field "${p}"`), ...d.yamlDuplicates, ...d.dropped.map((p) => `unknown field "${p}"`),
    ]);
    const asTable = q.wantsTable(req.headers.accept);
    const method = req.method ?? 'GET';
    if (subresource === 'log' && def.group === '' && def.kind === 'Pod' && name !== undefined && method === 'GET') {
      if (opts.podLogRoot === undefined) throw new ApiError(404, 'NotFound', 'pod logs are not served by this API server (no node agent log directory configured)');
      const pod = service.get(def, namespace, name);
      servePodLog(res, opts.podLogRoot, pod, params, () => {
        try { return service.get(def, namespace, name).metadata.uid === pod.metadata.uid; } catch { return false; }
      });
      return;
    }
    if (subresource === 'exec' && def.group === '' && def.kind === 'Pod' && name !== undefined) {
      throw badRequest('Upgrade request required');
    }
    if (subresource === 'scale' && name !== undefined) {
      const body = method === 'PUT' || method === 'PATCH' ? decodeBody(await readBody(req), method === 'PATCH' ? 'application/json' : req.headers['content-type']) : undefined;
      const ct = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const c = ctx();
      send(res, 200, serveScale(service, { def, namespace, name, method, body, patchType: ct === 'application/json-patch+json' ? 'json' : 'merge', ctx: () => c }), c.warnings);
      return;
    }
    if (subresource !== undefined && subresource !== 'status') {
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${def.plural}/${subresource} is not served)`);
    }
    if (subresource === 'status' && !def.statusSubresource) {
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${def.plural} has no status subresource)`);
    }
    if (name === undefined) {
      // Collection.
      if (method === 'GET') {
        const sel = q.selectors(def, params);
        if (q.bool(params, 'watch')) {
          const includeObject = q.includeObject(params);
          serveWatch(res, opts.store, {
            def, namespace, ...sel,
            resourceVersion: params.get('resourceVersion') ?? undefined,
            timeoutSeconds: q.timeoutSeconds(params),
            bookmarks: q.bool(params, 'allowWatchBookmarks'),
            render: asTable ? (o) => opts.kinds.toTable(def, [o], { now: clock(), includeObject }) : (o) => o,
          });
          return;
        }
        const cont = params.get('continue') ?? '';
        if (cont !== '' && (params.get('resourceVersion') ?? '') !== '') throw badRequest('specifying resource version is not allowed when using continue');
        const limit = q.limit(params);
        const page = service.list(def, namespace, sel.labels, sel.fields, { ...(limit !== undefined ? { limit } : {}), ...(cont !== '' ? { continue: cont } : {}) });
        const listMeta = {
          resourceVersion: page.resourceVersion,
          ...(page.continue !== undefined ? { continue: page.continue } : {}),
          ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
        };
        if (asTable) { send(res, 200, table(def, page.items, url, listMeta)); return; }
        send(res, 200, { kind: def.listKind, apiVersion: apiVersionOf(def), metadata: listMeta, items: page.items });
        return;
      }
      if (method === 'POST') {
        const decoded = decodeBodyDetailed(await readBody(req), req.headers['content-type']);
        const c = decodeContext(decoded);
        const created = service.create(def, namespace, decoded.value, c);
        send(res, 201, created, c.warnings);
        return;
      }
      if (method === 'DELETE') {
        const c = ctx();
        const raw = await readBody(req);
        const delOpts = q.deleteOptions(params, raw.length > 0 ? decodeBody(raw, req.headers['content-type']) : undefined);
        const sel = q.selectors(def, params);
        const { items } = service.list(def, namespace, sel.labels, sel.fields);
        const deleted: KubeObject[] = [];
        for (const o of items) deleted.push(service.delete(def, namespace, String(o.metadata.name), delOpts, c).object);
        send(res, 200, { kind: def.listKind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(opts.store.currentRv()) }, items: deleted });
        return;
      }
      throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${method} ${def.plural}`);
    }
    const statusOnly = subresource === 'status';
    switch (method) {
      case 'GET': {
        const obj = service.get(def, namespace, name);
        send(res, 200, asTable ? table(def, [obj], url, {}) : obj);
        return;
      }
      case 'PUT': {
        const decoded = decodeBodyDetailed(await readBody(req), req.headers['content-type']);
        const c = decodeContext(decoded);
        send(res, 200, service.update(def, namespace, name, decoded.value, c, statusOnly), c.warnings);
        return;
      }
      case 'PATCH': {
        const ct = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const types: Record<string, PatchType> = {
          'application/json-patch+json': 'json',
          'application/merge-patch+json': 'merge',
          'application/strategic-merge-patch+json': 'strategic',
        };
        const type = types[ct];
        if (!type) {
          throw new ApiError(415, 'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (server-side apply, application/apply-patch+yaml, is not supported)`);
        }
        const decoded = decodeBodyDetailed(await readBody(req), 'application/json');
        const c = type === 'json' ? ctx(jsonPatchIssues(decoded)) : decodeContext(decoded);
        send(res, 200, service.patch(def, namespace, name, type, decoded.value, c, statusOnly), c.warnings);
        return;
      }
      case 'DELETE': {
        if (statusOnly) break;
        const c = ctx();
        const raw = await readBody(req);
        const delOpts = q.deleteOptions(params, raw.length > 0 ? decodeBody(raw, req.headers['content-type']) : undefined);
        const { object } = service.delete(def, namespace, name, delOpts, c);
        send(res, 200, object);
        return;
      }
      default: break;
    }
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${method} ${def.plural}${statusOnly ? '/status' : ''}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const r = route(url.pathname, registry);
    if (r.type === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (!isAuthorized(req, opts.token)) {
      req.resume();
      send(res, 401, statusBody(new ApiError(401, 'Unauthorized', 'Unauthorized')));
      return;
    }
    if (r.type === 'resource') {
      await handleResource(req, res, r, url);
      return;
    }
    if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${req.method ?? ''} ${url.pathname}`);
    switch (r.type) {
      case 'version': send(res, 200, versionInfo()); return;
      case 'apiVersions': send(res, 200, apiVersions(address)); return;
      case 'apiGroupList': send(res, 200, apiGroupList(registry)); return;
      case 'apiGroup': send(res, 200, apiGroup(registry, r.group)); return;
      case 'resourceList': send(res, 200, apiResourceList(registry, r.group, r.version)); return;
      case 'openapiV3Root': send(res, 200, openapiV3Root(registry)); return;
      case 'crdList': send(res, 200, crdList(registry)); return;
      case 'openapiV2':
        // An empty protobuf OpenAPI v2 document: kubectl's client-side validation then knows no
        // schemas and defers to the server (which validates strictly).
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '0' });
        res.end();
        return;
      case 'openapiV3':
        if (r.group === 'apiextensions.k8s.io' && r.version === 'v1') { send(res, 200, openapiV3Apiextensions()); return; }
        send(res, 200, openapiV3ForGroupVersion(registry, r.group, r.version));
        return;
      case 'notFound': throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
  };

  const server: Server = createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
    const started = clock();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    handle(req, res).catch((err: unknown) => {
      const apiErr = toApiError(err);
      if (apiErr.httpStatus >= 500) opts.log.error('request failed', { method: req.method, path, error: err instanceof Error ? err.message : String(err) });
      if (res.headersSent) { res.end(); return; }
      send(res, apiErr.httpStatus, statusBody(apiErr));
    }).finally(() => {
      if (path !== '/healthz' && path !== '/readyz' && path !== '/livez') {
        // Access lines are debug (FLUID_LOG_LEVEL=debug); a 5xx was logged at error above.
        opts.log.debug('request', { method: req.method, path, code: res.statusCode, ms: clock().getTime() - started.getTime() });
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  // pods/{name}/exec: the streaming upgrade (pod-exec.ts). Every other upgrade is refused.
  const exec = opts.podLogRoot !== undefined ? new PodExec(opts.podLogRoot) : undefined;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const r = route(url.pathname, registry);
      if (!isAuthorized(req, opts.token)) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      if (r.type !== 'resource' || r.subresource !== 'exec' || r.def.group !== '' || r.def.kind !== 'Pod' || r.name === undefined) {
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource (only pods/exec is served as a stream)');
      }
      if (!exec) throw new ApiError(404, 'NotFound', 'pods/exec is not served by this API server (no node agent pod directory configured)');
      exec.handle(req, socket, head, service.get(r.def, r.namespace, r.name), url.searchParams);
    } catch (err) {
      rejectUpgrade(socket, toApiError(err));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  gc.start();
  return {
    port, host, service,
    async close() {
      gc.stop();
      exec?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => { server.close(() => resolve()); });
    },
  };
}

const JSON_PATCH_OP_FIELDS = new Set(['op', 'path', 'value', 'from']);

/** Strict decoding of a JSON patch's own operations, worded as kube's ("json patch unknown field "[0].foo""). */
function jsonPatchIssues(d: DecodedBody): string[] {
  const out: string[] = [];
  if (Array.isArray(d.value)) {
    d.value.forEach((op: unknown, i) => {
      if (typeof op !== 'object' || op === null) return;
      for (const k of Object.keys(op)) if (!JSON_PATCH_OP_FIELDS.has(k)) out.push(`json patch unknown field "[${i}].${k}"`);
    });
  }
  // Only the operations' own fields: repeated keys inside a value are not the patch's (kube's
  // json-patch decoder does not report them either).
  return [...out, ...d.duplicates.filter((p) => /^\[\d+\]\.[^.[]+$/.test(p)).map((p) => `json patch duplicate field "${p}"`)];
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof PatchError) return err.failure === 'failed' ? new ApiError(422, 'Invalid', err.message) : badRequest(err.message);
  if (err instanceof SelectorError) return badRequest(err.message);
  if (err instanceof FluidError && err.code === 'Conflict') return new ApiError(409, 'Conflict', err.message);
  return new ApiError(500, 'InternalError', 'an internal error occurred; see the control-plane log');
}

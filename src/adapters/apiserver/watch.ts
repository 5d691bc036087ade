// Watch streams (?watch=true): a chunked HTTP response of newline-separated JSON events
// `{type, object}`. Without a resourceVersion (or "0") the stream starts with ADDED events for
// the current state; with one it replays the retained change log after it (a compacted
// version gets an ERROR event carrying a 410 Expired Status, as kube-apiserver sends), then
// follows live commits. Live changes arrive synchronously from the store's subscription, so
// the replay and the subscription are set up in the same tick and nothing is missed.
import type { ServerResponse } from 'node:http';
import type { KindDefinition } from '../../api/kind.js';
import { matchesFields, type FieldSelector } from '../../core/patch/field-selector.js';
import { matchesLabels, type LabelSelector } from '../../core/patch/label-selector.js';
import { StoreTooOldError, type Change, type KubeObject, type ObjectStore } from '../store/object-store.js';
import { ApiError, statusBody } from './status-errors.js';

export interface WatchOptions {
  readonly def: KindDefinition;
  readonly namespace: string | undefined;
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
  /** undefined or "0": start with the current state. */
  readonly resourceVersion: string | undefined;
  readonly timeoutSeconds: number;
  readonly bookmarks: boolean;
  /** Renders an event's object (e.g. as a one-row Table). */
  readonly render: (obj: KubeObject) => unknown;
}

const DEFAULT_TIMEOUT_SECONDS = 1800;
const BOOKMARK_INTERVAL_MS = 30_000;

export function serveWatch(res: ServerResponse, store: ObjectStore, opts: WatchOptions): void {
  const { def } = opts;
  const inScope = (o: KubeObject): boolean =>
    (!def.namespaced || opts.namespace === undefined || o.metadata.namespace === opts.namespace)
    && matchesLabels(opts.labels, o.metadata.labels as Record<string, string> | undefined)
    && matchesFields(opts.fields, o);
  const relevant = (c: Change): boolean => c.key.group === def.group && c.key.resource === def.plural && inScope(c.object);
  const send = (type: string, object: unknown): void => {
    res.write(`${JSON.stringify({ type, object })}\n`);
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let backlog: Change[] = [];
  let lastRv = store.currentRv();
  const rv = opts.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    const initial = store.list(def.group, def.plural, def.namespaced ? opts.namespace : undefined).filter(inScope);
    for (const o of initial) send('ADDED', opts.render(o));
  } else {
    const from = Number(rv);
    if (!Number.isSafeInteger(from) || from < 0) {
      send('ERROR', statusBody(new ApiError(400, 'BadRequest', `invalid resourceVersion "${rv}": expected a non-negative integer`)));
      res.end();
      return;
    }
    try {
      backlog = store.changesSince(from);
    } catch (err) {
      if (!(err instanceof StoreTooOldError)) throw err;
      send('ERROR', statusBody(new ApiError(410, 'Expired', err.message)));
      res.end();
      return;
    }
    lastRv = Math.max(from, lastRv);
  }
  for (const c of backlog) if (relevant(c)) send(c.type, opts.render(c.object));

  // Live changes know the previous state, so an object moving into or out of the selection
  // is reported as ADDED / DELETED, as kube does for filtered watches.
  const unsubscribe = store.subscribe((c) => {
    lastRv = c.rv;
    if (c.key.group !== def.group || c.key.resource !== def.plural) return;
    const now = inScope(c.object);
    const before = c.previous !== undefined && c.type !== 'ADDED' && inScope(c.previous);
    if (c.type === 'MODIFIED' && before && !now) send('DELETED', opts.render(c.object));
    else if (c.type === 'MODIFIED' && !before && now) send('ADDED', opts.render(c.object));
    else if (now || (c.type === 'DELETED' && before)) send(c.type, opts.render(c.object));
  });
  const timeoutMs = (opts.timeoutSeconds > 0 ? opts.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS) * 1000;
  const timer = setTimeout(() => finish(), timeoutMs);
  const bookmark = opts.bookmarks
    ? setInterval(() => send('BOOKMARK', { kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata: { resourceVersion: String(lastRv) } }), BOOKMARK_INTERVAL_MS)
    : undefined;
  let done = false;
  function finish(): void {
    if (done) return;
    done = true;
    unsubscribe();
    clearTimeout(timer);
    if (bookmark) clearInterval(bookmark);
    if (!res.writableEnded) res.end();
  }
  // The response's close is the reliable signal that the client went away (or we ended).
  res.on('close', finish);
}

// GET .../pods/{name}/log: serves the log file the node agent writes for each container,
// LOG_ROOT/<namespace>/<pod>/<container>.log (LOG_ROOT = HOME/pods). Supports `container`,
// `tailLines` and `follow` (polls the file for growth until the client goes away or the pod
// is deleted). The container name must be one of the pod's, so the path cannot escape LOG_ROOT.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { KubeObject } from '../store/object-store.js';
import { badRequest } from './status-errors.js';

const FOLLOW_POLL_MS = 500;

function containerNames(pod: KubeObject): string[] {
  const spec = pod.spec as { containers?: { name?: unknown }[]; initContainers?: { name?: unknown }[] } | undefined;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((c) => c.name).filter((n): n is string => typeof n === 'string');
}

export function servePodLog(res: ServerResponse, logRoot: string, pod: KubeObject, params: URLSearchParams, podExists: () => boolean): void {
  const name = String(pod.metadata.name);
  const ns = String(pod.metadata.namespace);
  const names = containerNames(pod);
  let container = params.get('container') ?? '';
  if (container === '') {
    if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
    container = names[0] ?? '';
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const file = join(logRoot, ns, name, `${container}.log`);
  if (!existsSync(file)) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: no log output yet`);
  const tail = params.get('tailLines');
  if (tail !== null && !/^[0-9]+$/.test(tail)) throw badRequest(`tailLines: invalid value "${tail}": expected a non-negative integer`);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  let offset: number;
  if (tail !== null) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const n = Number(tail);
    res.write(lines.slice(Math.max(0, lines.length - n)).map((l) => `${l}\n`).join(''));
    offset = Buffer.byteLength(text);
  } else {
    offset = statSync(file).size;
  }
  const follow = params.get('follow') === 'true';
  const pump = (from: number, to: number, then: () => void): void => {
    if (to <= from) { then(); return; }
    const s = createReadStream(file, { start: from, end: to - 1 });
    s.on('data', (c) => res.write(c));
    s.on('end', then);
    s.on('error', then);
  };
  if (tail === null) {
    pump(0, offset, () => { if (!follow) res.end(); });
    if (!follow) return;
  } else if (!follow) {
    res.end();
    return;
  }
  let closed = false;
  res.on('close', () => { closed = true; });
  const tick = (): void => {
    if (closed || res.writableEnded) return;
    if (!podExists()) { res.end(); return; }
    let size = offset;
    try { size = statSync(file).size; } catch { /* rotated or removed: keep waiting */ }
    if (size < offset) offset = 0; // truncated by a restart
    const from = offset;
    offset = size;
    pump(from, size, () => setTimeout(tick, FOLLOW_POLL_MS));
  };
  setTimeout(tick, FOLLOW_POLL_MS);
}

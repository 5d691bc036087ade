// Container-path -> host-path mapping for the embedded node agent, which runs containers as
// plain host processes (no mount namespace). Each volumeMount maps its mountPath to a host dir;
// a path is rewritten through the longest matching mountPath. Pure.

export interface PathMapping {
  readonly mountPath: string;
  readonly hostDir: string;
}

/** Host path of container path `p`, or `p` unchanged when no mount covers it. */
export function toHostPath(mappings: readonly PathMapping[], p: string): string {
  let best: PathMapping | undefined;
  for (const m of mappings) {
    const mp = m.mountPath.replace(/\/+$/, '') || '/';
    if ((p === mp || p.startsWith(`${mp}/`) || mp === '/') && (!best || mp.length > best.mountPath.replace(/\/+$/, '').length)) best = m;
  }
  if (!best) return p;
  const mp = best.mountPath.replace(/\/+$/, '');
  return `${best.hostDir.replace(/\/+$/, '')}${p.slice(mp.length)}`;
}

/** Rewrites every absolute-path string inside a JSON value. */
export function mapJsonPaths(value: unknown, mappings: readonly PathMapping[]): unknown {
  if (typeof value === 'string') return value.startsWith('/') ? toHostPath(mappings, value) : value;
  if (Array.isArray(value)) return value.map((v) => mapJsonPaths(v, mappings));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapJsonPaths(v, mappings)]));
  }
  return value;
}

/** Kubernetes $(VAR) expansion in command/args: known vars are replaced, $$ escapes, unknown stay. */
export function expandVars(s: string, env: Readonly<Record<string, string>>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && env[name] !== undefined ? env[name] : m;
  });
}

/**
 * Where a pod's hostPath `p` lives on a node host whose hostPaths are mapped under `hostRoot` (node
 * hosts that share one filesystem): <hostRoot><p>, and a path under /dev/shm goes under the node's
 * own `shmRoot` instead, so a MEM tier stays in RAM. Without a hostRoot (embedded mode) `p` itself.
 */
export function nodeHostPath(p: string, hostRoot: string | undefined, shmRoot: string): string {
  if (hostRoot === undefined) return p;
  const clean = `/${p.split('/').filter((seg) => seg !== '' && seg !== '.' && seg !== '..').join('/')}`;
  if (clean === '/dev/shm' || clean.startsWith('/dev/shm/')) return `${shmRoot.replace(/\/+$/, '')}${clean.slice('/dev/shm'.length)}`;
  return `${hostRoot.replace(/\/+$/, '')}${clean === '/' ? '' : clean}`;
}

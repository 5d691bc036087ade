// Fluid's rules for Dataset spec.mounts[].path, shared by admission and the engine plan: empty
// means "/<name>"; "/" makes the mount the dataset's root and is allowed only when the dataset
// has a single mount. fluid-ts places mounts at the top level ("/<dir>"); nested paths are refused.

/** One mount's place in the dataset tree. */
export interface MountPlacement {
  readonly name: string;
  /** Dataset path of the mount: "/" (root) or "/<dir>"; undefined/"" = "/<name>". */
  readonly path?: string | undefined;
}

/** Why a mount's path is not acceptable (message names what is expected), or undefined. */
export function mountPathError(mounts: readonly MountPlacement[], index: number): string | undefined {
  const m = mounts[index];
  if (!m || m.path === undefined || m.path === '') return undefined;
  const p = m.path;
  if (!p.startsWith('/')) return `expected an absolute path such as "/" or "/${m.name}", got ${JSON.stringify(p)}`;
  if (p === '/') return mounts.length === 1 ? undefined : `"/" (the dataset root) is allowed only when the dataset has a single mount; this dataset has ${mounts.length}`;
  const segs = p.split('/').filter((s) => s !== '');
  if (segs.length !== 1 || segs[0] === '.' || segs[0] === '..') return `expected "/" or a top-level path "/<dir>", got ${JSON.stringify(p)} (nested mount paths are not supported)`;
  const dirOf = (x: MountPlacement): string => (x.path ? x.path.split('/').filter((s) => s !== '')[0] ?? x.name : x.name);
  const other = mounts.findIndex((x, j) => j !== index && dirOf(x) === segs[0]);
  if (other >= 0) return `${JSON.stringify(p)} is also where spec.mounts[${other}] appears; each mount needs its own path`;
  return undefined;
}


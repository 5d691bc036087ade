// The dataset tree: where each mount appears, and the mapping of a dataset path (inside the FUSE
// mount, or as the master's RPCs take it) to a mount and a path in its under storage.
// Fluid's rules for Dataset spec.mounts[].path: empty means "/<name>"; "/" makes the mount the
// dataset's root and is allowed only for a single mount. fluid-ts supports top-level mount
// paths ("/<dir>"); nested ones ("/a/b") are refused (see api/kinds/mount-paths.ts).
import type { MountPlacement } from '../../api/kinds/mount-paths.js';

export type { MountPlacement } from '../../api/kinds/mount-paths.js';

export type DatasetPath =
  /** The dataset root when it is a directory of mounts (no mount has path "/"). */
  | { readonly kind: 'root' }
  | { readonly kind: 'mount'; readonly mount: string; /** Absolute UFS path, "/" for the mount root. */ readonly ufsPath: string };

/** The mounts' places in the tree; resolves paths both ways. */
export class DatasetLayout {
  /** Mount name of the mount at "/", when there is one. */
  private readonly rootMount: string | undefined;
  /** Top-level directory -> mount name. */
  private readonly byDir = new Map<string, string>();
  /** Mount name -> top-level directory. */
  private readonly dirOf = new Map<string, string>();

  constructor(mounts: readonly MountPlacement[]) {
    const root = mounts.length === 1 && mounts[0]?.path === '/' ? mounts[0].name : undefined;
    this.rootMount = root;
    if (root !== undefined) return;
    for (const m of mounts) {
      const dir = m.path && m.path !== '/' ? m.path.split('/').filter((s) => s !== '')[0] ?? m.name : m.name;
      this.byDir.set(dir, m.name);
      this.dirOf.set(m.name, dir);
    }
  }

  /** Names listed at the dataset root when it is a directory of mounts. */
  rootEntries(): string[] {
    return [...this.byDir.keys()];
  }

  /** True when one mount is the dataset root. */
  get mountAtRoot(): boolean {
    return this.rootMount !== undefined;
  }

  /**
   * Resolves a dataset path ("/", "/hbase", "/hbase/dir/file"); undefined when its first component
   * is not a mount's directory.
   */
  resolve(path: string): DatasetPath | undefined {
    const parts = path.split('/').filter((p) => p.length > 0);
    if (this.rootMount !== undefined) return { kind: 'mount', mount: this.rootMount, ufsPath: `/${parts.join('/')}` };
    const [first, ...rest] = parts;
    if (first === undefined) return { kind: 'root' };
    const mount = this.byDir.get(first);
    if (mount === undefined) return undefined;
    return { kind: 'mount', mount, ufsPath: `/${rest.join('/')}` };
  }

  /** The dataset path of a UFS path of a mount. */
  datasetPath(mount: string, ufsPath: string): string {
    if (this.rootMount !== undefined) return ufsPath;
    const dir = this.dirOf.get(mount) ?? mount;
    return ufsPath === '/' ? `/${dir}` : `/${dir}${ufsPath}`;
  }
}

/** Resolves a FUSE path against mounts placed at their default paths ("/<name>"). */
export function resolveDatasetPath(path: string, mountNames: ReadonlySet<string>): DatasetPath | undefined {
  return new DatasetLayout([...mountNames].map((name) => ({ name }))).resolve(path);
}

// Maps a path inside the FUSE mount to a mount and a path in its under storage. The mount root
// holds one directory per dataset mount, named after the mount's `name`.

export type DatasetPath =
  | { readonly kind: 'root' }
  | { readonly kind: 'mount'; readonly mount: string; /** Absolute UFS path, "/" for the mount root. */ readonly ufsPath: string };

/**
 * Resolves a FUSE path ("/", "/hbase", "/hbase/dir/file"). Returns undefined when the first
 * component is not a known mount name.
 */
export function resolveDatasetPath(path: string, mountNames: ReadonlySet<string>): DatasetPath | undefined {
  const parts = path.split('/').filter((p) => p.length > 0);
  const [first, ...rest] = parts;
  if (first === undefined) return { kind: 'root' };
  if (!mountNames.has(first)) return undefined;
  return { kind: 'mount', mount: first, ufsPath: `/${rest.join('/')}` };
}

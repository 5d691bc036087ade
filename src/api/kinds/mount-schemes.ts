// The one documented list of Dataset mountPoint schemes fluid-ts accepts, and which runtime
// serves each. A Dataset is admitted when its scheme is served by SOME runtime; whether the
// runtime bound later supports it is the binding controller's check.

export type RuntimeFamily = 'engine' | 'juicefs' | 'thin' | 'reference';

export interface MountScheme {
  readonly scheme: string;
  /** engine = our master/worker cache (Alluxio/Jindo runtimes), juicefs, thin = ThinRuntime profiles,
   *  reference = dataset://<namespace>/<name>: another Dataset's cache, shared (no runtime of its own). */
  readonly runtime: RuntimeFamily;
}

export const mountSchemes: readonly MountScheme[] = [
  // Our cache engine (AlluxioRuntime, JindoRuntime): UFS connectors in core/ufs.
  { scheme: 'local', runtime: 'engine' },
  { scheme: 'http', runtime: 'engine' },
  { scheme: 'https', runtime: 'engine' },
  { scheme: 's3', runtime: 'engine' },
  { scheme: 's3a', runtime: 'engine' },
  { scheme: 'oss', runtime: 'engine' },
  { scheme: 'pvc', runtime: 'engine' },
  // JuiceFSRuntime.
  { scheme: 'juicefs', runtime: 'juicefs' },
  // ThinRuntime: the scheme is handed to the profile's FUSE program as is.
  { scheme: 'minio', runtime: 'thin' },
  { scheme: 'nfs', runtime: 'thin' },
  { scheme: 'cephfs', runtime: 'thin' },
  { scheme: 'hdfs', runtime: 'thin' },
  { scheme: 'cubefs', runtime: 'thin' },
  { scheme: 'curvefs', runtime: 'thin' },
  { scheme: 'glusterfs', runtime: 'thin' },
  { scheme: 'lustre', runtime: 'thin' },
  // A reference to another namespace's Dataset (its runtime's cache and FUSE mount are shared).
  { scheme: 'dataset', runtime: 'reference' },
];

/** The physical dataset of a `dataset://<namespace>/<name>` mount point, or undefined if malformed / another scheme. */
export function parseDatasetReference(mountPoint: string): { readonly namespace: string; readonly name: string } | undefined {
  const m = /^dataset:\/\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-z]([-a-z0-9]{0,61}[a-z0-9])?)\/?$/.exec(mountPoint.trim());
  return m ? { namespace: m[1] as string, name: m[3] as string } : undefined;
}

/** Lower-case scheme of a mountPoint ("s3://b/p" -> "s3"), or undefined if it has none. */
export function mountPointScheme(mountPoint: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(mountPoint);
  return m?.[1]?.toLowerCase();
}

export function findMountScheme(scheme: string): MountScheme | undefined {
  return mountSchemes.find((s) => s.scheme === scheme);
}

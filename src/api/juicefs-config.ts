// Contract between the JuiceFSRuntime engine (core/reconcile/juicefs-engine.ts, which renders these
// files into the runtime's ConfigMap) and `fluid engine juicefs --config FILE` (one per worker pod and
// one for the FUSE pod), and the JSON that process serves at GET /stats. Secret values never appear
// here: only the paths of the 0600 files that hold them (the pod's secret volumes).
import { Type, type Static } from '@sinclair/typebox';

export const JuiceFSConfig = Type.Object({
  /** Pod name ("jfsdemo-worker-0", "jfsdemo-fuse"). */
  id: Type.String({ minLength: 1 }),
  role: Type.Union([Type.Literal('worker'), Type.Literal('fuse')]),
  /** Listen address of this process's HTTP listener: GET /healthz, /status, /stats, /metrics. */
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** JuiceFS file-system name (Dataset spec.mounts[0].name), the NAME of `juicefs format`. */
  name: Type.String({ minLength: 1 }),
  /** Subdirectory of the file system that is the dataset ("/demo" for juicefs:///demo; "/" for the root). */
  subdir: Type.String({ minLength: 1 }),
  /** Where this process mounts the file system (the FUSE's is the PV's fluid_path). */
  mountPath: Type.String({ minLength: 1 }),
  readOnly: Type.Boolean({ default: false }),
  /**
   * Whether this pod runs `juicefs format` when the file system does not exist yet. Exactly one pod
   * of a runtime does (worker 0, or the FUSE when there is no worker): two formats racing on one
   * metadata engine leave a volume whose encrypted secret the other mount cannot open. The others
   * wait until it exists.
   */
  formats: Type.Boolean({ default: false }),
  /** `juicefs format` settings, used only when the file system does not exist yet. */
  storage: Type.Optional(Type.String()),
  bucket: Type.Optional(Type.String()),
  /** Further `juicefs format` flags from the Dataset options and spec.configs (flag -> value, "" = no value). */
  formatOptions: Type.Record(Type.String(), Type.String(), { default: {} }),
  /**
   * The block cache directories (the tier paths), absolute; `--cache-dir` joins them with ":". A list,
   * not one "a:b" string, so the node agent maps each path to its host path like every path of this file.
   */
  cacheDirs: Type.Array(Type.String(), { default: [] }),
  /** `juicefs mount` flags (flag -> value, "" = no value): cache-size, attr-cache, ...; a cache-dir here wins over cacheDirs. */
  mountOptions: Type.Record(Type.String(), Type.String(), { default: {} }),
  /** Secret files (0600): the meta URL (required), the object storage's access and secret keys. */
  metaUrlFile: Type.String({ minLength: 1 }),
  accessKeyFile: Type.Optional(Type.String()),
  secretKeyFile: Type.Optional(Type.String()),
  /**
   * Cache directories this pod keeps on its node; the node agent frees them when the runtime is torn
   * down (pod annotation fluid.io/teardown). Never a mount point, never JuiceFS data.
   */
  stateDirs: Type.Array(Type.String(), { default: [] }),
  /** Where to name the secrets in messages: "Secret jfs-secret key metaurl". */
  metaUrlRef: Type.String({ default: 'the metaurl encryptOption' }),
});
export type JuiceFSConfig = Static<typeof JuiceFSConfig>;

/** GET /stats of a `fluid engine juicefs` process: numbers from JuiceFS itself. */
export interface JuiceFSStats {
  readonly ready: boolean;
  /** Logical bytes and files under the subdir, from `juicefs info` (JuiceFS's directory statistics). */
  readonly usedBytes: number;
  readonly fileCount: number;
  /** From the client's Prometheus metrics: juicefs_blockcache_{bytes,hits,miss,hit_bytes,miss_bytes}. */
  readonly cacheBytes: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheHitBytes: number;
  readonly cacheMissBytes: number;
}

/** GET /status: the process's state; `reason` is a CamelCase cause (MetadataUnreachable, ...). */
export interface JuiceFSProcessStatus {
  readonly ready: boolean;
  readonly reason: string;
  readonly message: string;
}

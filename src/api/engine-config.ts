// Contract between the orchestration layer (which renders these files) and the cache-engine
// processes (`fluid engine master|worker|fuse --config FILE`). Each process reads one JSON file of
// this shape; secrets never appear in it, only the paths of 0600 files that hold them.
import { Type, type Static } from '@sinclair/typebox';

export const EngineMount = Type.Object({
  /** Directory name under the dataset root (Dataset spec.mounts[].name). */
  name: Type.String({ minLength: 1 }),
  /** Where the mount appears in the dataset tree: "/" (the root, single mount only) or "/<dir>"; absent = "/<name>". */
  path: Type.Optional(Type.String({ minLength: 1 })),
  /** UFS URI: local:///dir, http(s)://host/dir/, s3://bucket/prefix, s3a://, oss://. */
  mountPoint: Type.String({ minLength: 1 }),
  /** Plain options (Dataset spec.mounts[].options). */
  options: Type.Record(Type.String(), Type.String(), { default: {} }),
  /** Secret options: option name -> path of a 0600 file holding the value. */
  encryptOptionFiles: Type.Record(Type.String(), Type.String(), { default: {} }),
});
export type EngineMount = Static<typeof EngineMount>;

export const EngineEndpoint = Type.Object({
  /** Stable identity, the pod name: "hbase-master-0", "hbase-worker-1". */
  id: Type.String({ minLength: 1 }),
  /** host:port of its RPC/health/metrics HTTP listener. */
  address: Type.String({ minLength: 1 }),
});
export type EngineEndpoint = Static<typeof EngineEndpoint>;

export const MasterConfig = Type.Object({
  id: Type.String({ minLength: 1 }),
  /** Listen address. One HTTP listener serves RPC, GET /healthz and GET /metrics. */
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  mounts: Type.Array(EngineMount),
  /** All masters, self included. One entry (or none) = single master; 3 or 5 = Raft HA. */
  peers: Type.Array(EngineEndpoint, { default: [] }),
  /** Journal/metadata folder (JindoRuntime namespace.meta-dir, Alluxio journal.folder). */
  journalDir: Type.String({ minLength: 1 }),
  /**
   * Path of a 0600 file holding this runtime's engine token (the `token` key of Secret
   * `<runtime>-engine-token`). Every /rpc/* and /blocks/* request, served or sent, carries it as
   * `Authorization: Bearer <token>`. Required: an engine process never runs unauthenticated.
   */
  tokenFile: Type.String({ minLength: 1 }),
  /** Engine properties (runtime spec.properties and master.properties, merged). */
  properties: Type.Record(Type.String(), Type.String(), { default: {} }),
  /**
   * Start from a DataBackup instead of listing the UFS (Dataset spec.dataRestoreLocation): `file` is
   * the backup file (a path under one of the pod's volumes), `location` the Dataset's
   * dataRestoreLocation.path, for messages. Used while the namespace is empty.
   */
  restore: Type.Optional(Type.Object({ file: Type.String({ minLength: 1 }), location: Type.String({ minLength: 1 }) })),
});
export type MasterConfig = Static<typeof MasterConfig>;

export const TierLevel = Type.Object({
  mediumtype: Type.Union([Type.Literal('MEM'), Type.Literal('SSD'), Type.Literal('HDD')]),
  /** One or more directories; each has its own quota in bytes (same index). */
  paths: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  quotas: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1 }),
  /** Watermarks as fractions of quota: eviction starts above `high` and stops at `low`. */
  high: Type.Number({ minimum: 0, maximum: 1 }),
  low: Type.Number({ minimum: 0, maximum: 1 }),
});
export type TierLevel = Static<typeof TierLevel>;

export const WorkerConfig = Type.Object({
  id: Type.String({ minLength: 1 }),
  host: Type.String({ default: '127.0.0.1' }),
  /**
   * The Kubernetes Node this process runs on (`--node-name`, from the pod's spec.nodeName). Clients
   * decide same-node short-circuit reads by it. Absent when started by hand: the listen host stands in.
   */
  nodeName: Type.Optional(Type.String({ minLength: 1 })),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** Every master's address; the worker finds the leader itself. */
  masters: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  /** Needed to fill blocks from the UFS. */
  mounts: Type.Array(EngineMount),
  /** Highest tier first (MEM, then SSD, then HDD). */
  tiers: Type.Array(TierLevel, { minItems: 1 }),
  /**
   * Path of a 0600 file holding this runtime's engine token (the `token` key of Secret
   * `<runtime>-engine-token`). Every /rpc/* and /blocks/* request, served or sent, carries it as
   * `Authorization: Bearer <token>`. Required: an engine process never runs unauthenticated.
   */
  tokenFile: Type.String({ minLength: 1 }),
  properties: Type.Record(Type.String(), Type.String(), { default: {} }),
});
export type WorkerConfig = Static<typeof WorkerConfig>;

export const FuseConfig = Type.Object({
  id: Type.String({ minLength: 1 }),
  host: Type.String({ default: '127.0.0.1' }),
  /**
   * The Kubernetes Node this process runs on (`--node-name`, from the pod's spec.nodeName). Clients
   * decide same-node short-circuit reads by it. Absent when started by hand: the listen host stands in.
   */
  nodeName: Type.Optional(Type.String({ minLength: 1 })),
  /** Port of the health/metrics listener. */
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  masters: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  /** Where the dataset is mounted (read-only); created if missing. */
  mountPath: Type.String({ minLength: 1 }),
  /**
   * Path of a 0600 file holding this runtime's engine token (the `token` key of Secret
   * `<runtime>-engine-token`). Every /rpc/* and /blocks/* request, served or sent, carries it as
   * `Authorization: Bearer <token>`. Required: an engine process never runs unauthenticated.
   */
  tokenFile: Type.String({ minLength: 1 }),
  /** For the last-resort direct UFS read when no worker can serve a block. */
  mounts: Type.Array(EngineMount),
  properties: Type.Record(Type.String(), Type.String(), { default: {} }),
});
export type FuseConfig = Static<typeof FuseConfig>;

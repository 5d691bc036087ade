// The cache engine's wire contract: master <-> worker <-> FUSE client <-> orchestration.
//
// Transport (one HTTP/1.1 keep-alive listener per process):
//   POST /rpc/<method>   JSON request body -> 200 JSON response, or an RpcErrorBody with a 4xx/5xx status.
//                        Header `x-request-id` (optional): a retried request with the same id is answered
//                        from the master's result cache instead of being applied twice.
//   GET  /blocks/<blockId>?mount=&path=&offset=&length=&fingerprint=&blockSize=   (worker only)
//                        The block's bytes, filled from the UFS when missing. `offset`/`length` locate the
//                        block inside the file (bytes); the worker re-derives the id from the parameters
//                        and answers 400 naming the parameter when they do not match or are malformed. An optional `Range: bytes=a-b` header selects a part
//                        of the block (offsets relative to the block start) and is answered with 206.
//                        Response header `x-fluid-cache: hit|miss|bypass` says where the bytes came from.
//   Every request above carries `Authorization: Bearer <runtime engine token>`; without it (or with
//   another runtime's token) the answer is 401 and nothing else happens.
//   GET  /healthz        200 "ok" once serving; 503 with the reason in the body before that.
//   GET  /metrics        Prometheus text exposition format 0.0.4.
//
// Paths are dataset-root paths: "/" lists one directory per mount, "/<mountName>/dir/file".
// All sizes and offsets are bytes; all times are milliseconds since the epoch.

import type { RpcErrorCode } from './engine-rpc-errors.js';

export type TierMedium = 'MEM' | 'SSD' | 'HDD';

/** Error body of every non-2xx RPC answer. */
export interface RpcErrorBody {
  readonly error: {
    /** One of engine-rpc-errors.ts's codes ("NotFound", "NotLeader", "Invalid", "UfsNotFound", ...). */
    readonly code: RpcErrorCode;
    readonly message: string;
    /** With code "NotLeader": the address of the leader if known, so the client can go there directly. */
    readonly leaderAddress?: string;
  };
}

// ---------------------------------------------------------------- master

export interface MountInfo {
  readonly name: string;
  /** The UFS URI with any credentials removed. */
  readonly ufs: string;
  /** Dataset path of the mount ("/" = the root); absent = "/<name>". */
  readonly path?: string;
}

export interface FileStatus {
  /** Dataset-root path ("/" for the root, "/<mount>" for a mount's root). */
  readonly path: string;
  readonly name: string;
  readonly kind: 'file' | 'directory';
  readonly size: number;
  readonly mtimeMs: number;
  /** Change detector from the UFS; "" for directories. Block ids derive from it. */
  readonly fingerprint: string;
}

export interface BlockLocation {
  readonly workerId: string;
  /** host:port of the worker's RPC listener. */
  readonly address: string;
  /**
   * The worker's node identity, for short-circuit decisions by a client on the same node: its
   * Kubernetes Node name when it runs in a pod, else the host part of its address.
   */
  readonly host: string;
  readonly tier: TierMedium;
}

export interface BlockInfo {
  readonly index: number;
  /** Offset of the block in the file. */
  readonly offset: number;
  readonly length: number;
  readonly blockId: string;
  readonly locations: readonly BlockLocation[];
}

export interface FileBlockInfo {
  readonly path: string;
  /** Mount name and the path inside the mount: what a worker needs to fill the block. */
  readonly mount: string;
  readonly ufsPath: string;
  readonly size: number;
  readonly blockSize: number;
  readonly fingerprint: string;
  readonly blocks: readonly BlockInfo[];
}

export interface TierUsage {
  readonly medium: TierMedium;
  readonly capacityBytes: number;
  readonly usedBytes: number;
}

/** A block a worker holds, as reported to the master. */
export interface CachedBlockRef {
  readonly blockId: string;
  readonly length: number;
  readonly tier: TierMedium;
}

export interface WorkerInfo {
  readonly id: string;
  /** The registered process instance (random per worker start). */
  readonly instanceId: string;
  /** uid owning the worker's block files; a short-circuit reader refuses files owned by anyone else. */
  readonly uid: number;
  /** The worker's declared tier directories; a short-circuit reader opens block files only under them. */
  readonly tierPaths: readonly string[];
  readonly address: string;
  /** Node identity for same-node short-circuit decisions (see BlockLocation.host). */
  readonly host: string;
  readonly tiers: readonly TierUsage[];
  readonly capacityBytes: number;
  readonly usedBytes: number;
  readonly blockCount: number;
  readonly lastHeartbeatMs: number;
}

export interface MasterStats {
  /** Sum of the sizes of all files; exact only when `metadataComplete`. */
  readonly ufsTotalBytes: number;
  readonly fileCount: number;
  readonly directoryCount: number;
  /** True once every directory of every mount has been listed. */
  readonly metadataComplete: boolean;
  /** Sum of the lengths of distinct cached blocks (a block cached twice counts once). */
  readonly cachedBytes: number;
  /** Sum of all live workers' tier quotas. */
  readonly cacheCapacityBytes: number;
  /** Sum of all live workers' used bytes (replicas counted each time). */
  readonly cacheUsedBytes: number;
  readonly workers: readonly WorkerInfo[];
}

export interface MasterEndpointInfo {
  readonly id: string;
  readonly address: string;
}

export interface MasterInfo {
  readonly self: MasterEndpointInfo;
  readonly leader: MasterEndpointInfo | null;
  readonly masters: readonly MasterEndpointInfo[];
}

export interface PathRequest {
  readonly path: string;
}

export interface LoadMetadataRequest {
  readonly path: string;
  /** List the whole subtree (default true); false = only this path / directory. */
  readonly recursive?: boolean;
}

export interface LoadMetadataResponse {
  readonly directoriesListed: number;
  readonly filesSeen: number;
}

export interface RegisterWorkerRequest {
  readonly workerId: string;
  /**
   * Random per process start. While one instance's lease is live (it heartbeats within the master's
   * worker timeout), a registration of the same workerId by another instance is refused with 409
   * WorkerIdInUse; the same instance may re-register at any time.
   */
  readonly instanceId: string;
  /** uid of the worker process (owner of its block files). */
  readonly uid: number;
  /** Absolute paths of every tier directory (what short-circuit readers accept block files under). */
  readonly tierPaths: readonly string[];
  readonly address: string;
  /** Node identity for same-node short-circuit decisions (see BlockLocation.host). */
  readonly host: string;
  readonly tiers: readonly TierUsage[];
  /** Every block the worker holds now (the full report replaces the master's view of this worker). */
  readonly blocks: readonly CachedBlockRef[];
}

export interface WorkerHeartbeatRequest {
  readonly workerId: string;
  /** Must match the registered instance; otherwise the answer is command "register". */
  readonly instanceId: string;
  readonly tiers: readonly TierUsage[];
  /** Blocks added / removed since the previous acknowledged heartbeat. */
  readonly added: readonly CachedBlockRef[];
  readonly removed: readonly string[];
}

export interface WorkerHeartbeatResponse {
  /** "ok", or "register": the master does not know this worker (it restarted or expired it); send a full report. */
  readonly command: 'ok' | 'register';
}

/**
 * backupMetadata: a consistent copy of the master's metadata (DataBackup): the state machine's
 * snapshot (mount table, namespace, worker registry with each worker's block list) taken on the
 * leader after a read barrier, i.e. at one applied journal index.
 */
export interface MetadataBackup {
  readonly format: 'fluid-ts.master-metadata';
  readonly version: 1;
  readonly takenAtMs: number;
  readonly files: number;
  readonly directories: number;
  readonly workers: number;
  /** The master snapshot (core/master MasterSnapshot), opaque to everyone but the master. */
  readonly snapshot: unknown;
}

export interface MasterMethods {
  mounts: { req: Record<string, never>; res: { mounts: MountInfo[] } };
  getStatus: { req: PathRequest; res: FileStatus };
  listStatus: { req: PathRequest; res: { entries: FileStatus[] } };
  getBlockInfo: { req: PathRequest; res: FileBlockInfo };
  loadMetadata: { req: LoadMetadataRequest; res: LoadMetadataResponse };
  registerWorker: { req: RegisterWorkerRequest; res: { ok: true } };
  workerHeartbeat: { req: WorkerHeartbeatRequest; res: WorkerHeartbeatResponse };
  stats: { req: Record<string, never>; res: MasterStats };
  masterInfo: { req: Record<string, never>; res: MasterInfo };
  workers: { req: Record<string, never>; res: { workers: WorkerInfo[] } };
  backupMetadata: { req: Record<string, never>; res: MetadataBackup };
}

// ---------------------------------------------------------------- worker

/** Everything a worker needs to find or fill one block. */
export interface BlockRef {
  readonly blockId: string;
  readonly mount: string;
  /** Path inside the mount ("/dir/file"). */
  readonly ufsPath: string;
  readonly fingerprint: string;
  /** The file's block size (FileBlockInfo.blockSize); the id derives from it and offset / blockSize. */
  readonly blockSize: number;
  /** Block offset in the file and its length. */
  readonly offset: number;
  readonly length: number;
}

export interface OpenLocalBlockResponse {
  /** Handle to pass to closeLocalBlock; the block is pinned (not evicted) until then. */
  readonly handle: string;
  /** Absolute path of the verified block file; read bytes [0, length). */
  readonly file: string;
  readonly length: number;
  /** "sha256:<hex>" of the block's bytes. */
  readonly checksum: string;
}

export interface LoadBlocksResponse {
  readonly loaded: number;
  /** Blocks already cached before the call. */
  readonly alreadyCached: number;
  /** Blocks that could not be cached (too large for the tiers) or failed; with reasons. */
  readonly failed: readonly { blockId: string; reason: string }[];
  readonly bytesFetched: number;
}

/**
 * freeBlocks: evicts the listed blocks from every tier of the worker now (on-demand cache clean).
 * Blocks the worker does not hold are counted in `notCached`; a block a reader has open stays readable
 * through its open file (block files are unlinked, never rewritten). The removals reach the master with
 * the next heartbeat, like evictions.
 */
export interface FreeBlocksRequest {
  /** Block ids (32 lowercase hex characters); at most 4096 per call. */
  readonly blockIds: readonly string[];
}

export interface FreeBlocksResponse {
  readonly freedBlocks: number;
  /** Sum of the lengths of the freed blocks. */
  readonly bytesFreed: number;
  readonly notCached: number;
}

/** Most block ids one freeBlocks call may carry. */
export const FREE_BLOCKS_MAX = 4096;

export interface WorkerStats {
  readonly workerId: string;
  readonly tiers: readonly TierUsage[];
  readonly blockCount: number;
  readonly cachedBytes: number;
  readonly hits: number;
  readonly misses: number;
  /** Blocks served without caching because no tier could hold them. */
  readonly bypasses: number;
  readonly ufsBytesRead: number;
  readonly evictedBlocks: number;
  readonly corruptBlocksDropped: number;
  /** True when the last heartbeat reached a master. */
  readonly masterConnected: boolean;
}

export interface WorkerMethods {
  openLocalBlock: { req: BlockRef; res: OpenLocalBlockResponse };
  closeLocalBlock: { req: { handle: string }; res: { ok: true } };
  loadBlocks: { req: { blocks: BlockRef[] }; res: LoadBlocksResponse };
  stats: { req: Record<string, never>; res: WorkerStats };
  freeBlocks: { req: FreeBlocksRequest; res: FreeBlocksResponse };
}

export type MasterMethod = keyof MasterMethods;
export type WorkerMethod = keyof WorkerMethods;

/** Every master method, as data (e.g. for authentication tests); kept complete by the type below. */
export const MASTER_METHOD_NAMES = [
  'mounts', 'getStatus', 'listStatus', 'getBlockInfo', 'loadMetadata', 'registerWorker', 'workerHeartbeat', 'stats', 'masterInfo', 'workers', 'backupMetadata',
] as const satisfies readonly MasterMethod[];
/** Every worker method, as data. */
export const WORKER_METHOD_NAMES = ['openLocalBlock', 'closeLocalBlock', 'loadBlocks', 'stats', 'freeBlocks'] as const satisfies readonly WorkerMethod[];

type MissingNames<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
/** Compile-time check that the lists above name every method. */
export const METHOD_LISTS_COMPLETE: [MissingNames<MasterMethod, (typeof MASTER_METHOD_NAMES)[number]>, MissingNames<WorkerMethod, (typeof WORKER_METHOD_NAMES)[number]>] = [true, true];

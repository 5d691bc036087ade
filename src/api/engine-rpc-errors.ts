// The error codes of the engine RPC (RpcErrorBody.error.code), with the HTTP status that carries
// each. This table is the one list: servers send only these codes, clients compare against the
// RpcErrorCode union (so a misspelt code is a compile error), and a code outside the list that a
// newer peer sends is read as "Internal".
export const RPC_ERROR_STATUS = {
  Invalid: 400,
  Usage: 400,
  Unauthorized: 401,
  UfsAccessDenied: 403,
  NotFound: 404,
  UfsNotFound: 404,
  /** The UFS object changed under a cached file; re-stat and read again. */
  UfsChanged: 409,
  /** The UFS file is not the length the caller's stat recorded (it changed since). */
  UfsSizeMismatch: 409,
  /** openLocalBlock: the block is not kept in a tier now; read it over GET /blocks instead. */
  NotCacheable: 409,
  /** Another live instance holds this worker id (lease rule). */
  WorkerIdInUse: 409,
  UfsConfig: 400,
  UfsInvalidPath: 400,
  UfsUnavailable: 502,
  /** The UFS returned fewer bytes than the file's recorded length. */
  UfsShortRead: 502,
  /** With leaderAddress when the leader is known. */
  NotLeader: 503,
  NotReady: 503,
  ProposalDropped: 503,
  JournalUnavailable: 503,
  JournalCorrupt: 500,
  Internal: 500,
} as const satisfies Readonly<Record<string, number>>;

export type RpcErrorCode = keyof typeof RPC_ERROR_STATUS;

export function isRpcErrorCode(code: string): code is RpcErrorCode {
  return Object.prototype.hasOwnProperty.call(RPC_ERROR_STATUS, code);
}

/** The HTTP status for an error code; codes outside the list are internal errors (500). */
export function rpcStatusForCode(code: string): number {
  return isRpcErrorCode(code) ? RPC_ERROR_STATUS[code] : 500;
}

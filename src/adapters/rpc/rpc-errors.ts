// Errors of the engine's HTTP RPC transport, as seen by a caller.
import type { RpcErrorCode } from '../../api/engine-rpc-errors.js';
import { FluidError } from '../../core/errors.js';

/** The remote process answered with an error; `code` is its RpcErrorBody code. */
export class RpcRemoteError extends FluidError {
  declare readonly code: RpcErrorCode;
  constructor(
    readonly address: string,
    readonly method: string,
    readonly status: number,
    code: RpcErrorCode,
    message: string,
    /** With code "NotLeader": where the leader is, if the remote knows. */
    readonly leaderAddress?: string,
  ) {
    super(code, message);
  }
}

/** The remote process could not be reached (refused, reset, timed out). Safe to retry elsewhere. */
export class RpcUnreachableError extends FluidError {
  constructor(readonly address: string, detail: string, options?: { cause?: unknown }) {
    super('Unreachable', `cannot reach ${address}: ${detail}`, options);
  }
}

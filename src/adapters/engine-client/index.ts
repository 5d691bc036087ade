// Public surface of the engine client (used by the FUSE client, the fs tool and orchestration).
export { MasterClient, type MasterClientOptions } from './master-client.js';
export { WorkerClient, type BlockRead } from './worker-client.js';
export { loadPath, type LoadPathResult } from './load-path.js';
export { cleanPath, type CleanPathResult } from './clean-path.js';
export { walkFiles } from './walk-files.js';
export { RpcRemoteError, RpcUnreachableError } from '../rpc/rpc-errors.js';
export { EngineCredential, EngineCredentialError, ENGINE_TOKEN_KEY } from '../rpc/engine-credential.js';

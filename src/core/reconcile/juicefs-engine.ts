// JuiceFSRuntime is accepted by the API but not run: this engine reports what it would need,
// so the runtime shows a clear NotReady condition instead of silently doing nothing.
import type { RuntimeEngine } from './runtime-engine.js';

export const JUICEFS_NOT_SUPPORTED =
  'JuiceFSRuntime is not supported by fluid-ts yet: it would need a JuiceFS client (the `juicefs` binary to mount the volume) ' +
  'and a metadata engine (Redis, TiKV or a SQL database) reachable from this machine; use AlluxioRuntime or JindoRuntime to cache this dataset';

export const juicefsEngine: RuntimeEngine = {
  kind: 'JuiceFSRuntime',
  counts: () => ({ master: 0, worker: 0 }),
  plan: () => ({ ok: false, reason: 'NotSupported', message: JUICEFS_NOT_SUPPORTED }),
};

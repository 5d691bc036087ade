// Runtime engines by kind. One RuntimeController (and one watch) runs per entry. To add a kind,
// append one line here (the ThinRuntime engine plugs in the same way).
import { ALLUXIO, JINDO, cacheEngine } from '../../core/reconcile/cache-engine.js';
import { juicefsEngine } from '../../core/reconcile/juicefs-engine.js';
import type { RuntimeEngine } from '../../core/reconcile/runtime-engine.js';
import { thinEngine } from '../../core/thin/thin-engine.js';

export const runtimeEngines: RuntimeEngine[] = [
  cacheEngine(ALLUXIO),
  cacheEngine(JINDO),
  juicefsEngine,
  thinEngine,
];

// One line of the master state machine's data-driven script (test/unit/engine/testdata/
// master-state-machine.txt): `apply <entry JSON>`, `status|list <path>`, `blocks <path> <blockSize>`,
// `stats`, `workers`, `snapshot-roundtrip`. Shared by the heap and the SQLite-backed runs so both
// answer the same script.
import type { MasterEntry } from '../../src/core/master/master-entry.js';
import { MasterStateMachine } from '../../src/core/master/master-state-machine.js';

function show(v: unknown): string {
  return JSON.stringify(v);
}

export function runMasterScriptLine(sm: MasterStateMachine, line: string): string {
  const [cmd = '', ...rest] = line.split(' ');
  const arg = rest.join(' ');
  try {
    switch (cmd) {
      case 'apply': return show(sm.apply(JSON.parse(arg) as MasterEntry));
      case 'status': return show(sm.getStatus(arg));
      case 'list': return show(sm.listStatus(arg));
      case 'blocks': return show(sm.getBlockInfo(rest[0] ?? '', Number(rest[1] ?? 0)));
      case 'stats': {
        const { workers, ...s } = sm.stats();
        return `${show(s)} workers=${show(workers.map((w) => `${w.id}:${w.blockCount}:${w.usedBytes}/${w.capacityBytes}`))}`;
      }
      case 'workers': return show(sm.workers().map((w) => `${w.id}@${w.address}#${w.instanceId} blocks=${w.blockCount}`));
      case 'snapshot-roundtrip': {
        const snap = sm.snapshot();
        const copy = new MasterStateMachine();
        copy.restore(JSON.parse(JSON.stringify(snap)) as typeof snap);
        return show(copy.snapshot()) === show(snap) ? 'identical' : 'DIFFERENT';
      }
      default: return `unknown command ${cmd}`;
    }
  } catch (err) {
    return `error ${(err as { code?: string }).code ?? ''}: ${(err as Error).message}`;
  }
}

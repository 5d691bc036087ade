import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { asArray, dig } from '../internal/checks.js';
import { ageColumn, coreKind, str } from '../internal/core-kind.js';

/** "ready/total" containers, e.g. "1/1". */
function podReady(o: Record<string, unknown>): string {
  const total = asArray(dig(o, 'spec', 'containers')).length;
  const ready = asArray(dig(o, 'status', 'containerStatuses')).filter((c) => dig(c, 'ready') === true).length;
  return `${ready}/${total}`;
}

function podRestarts(o: Record<string, unknown>): number {
  let n = 0;
  for (const c of asArray(dig(o, 'status', 'containerStatuses'))) {
    const r = dig(c, 'restartCount');
    if (typeof r === 'number') n += r;
  }
  return n;
}

/** kubectl's STATUS: the waiting/terminated reason of a container, else the phase; Terminating when deleting. */
function podStatus(o: Record<string, unknown>): string {
  let reason = str(dig(o, 'status', 'reason')) || str(dig(o, 'status', 'phase'));
  let running = false;
  for (const c of [...asArray(dig(o, 'status', 'containerStatuses'))].reverse()) {
    const waiting = str(dig(c, 'state', 'waiting', 'reason'));
    const terminated = dig(c, 'state', 'terminated');
    if (waiting !== '') reason = waiting;
    else if (terminated !== undefined && str(dig(terminated, 'reason')) !== '') reason = str(dig(terminated, 'reason'));
    else if (terminated !== undefined) {
      const sig = dig(terminated, 'signal');
      reason = typeof sig === 'number' && sig !== 0 ? `Signal:${sig}` : `ExitCode:${str(dig(terminated, 'exitCode'))}`;
    } else if (dig(c, 'ready') === true && dig(c, 'state', 'running') !== undefined) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (dig(o, 'metadata', 'deletionTimestamp') !== undefined) reason = 'Terminating';
  return reason;
}

/** v1 Pod. */
export const podKind: KindDefinition = coreKind({
  kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], namespaced: true, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.containerStatuses', value: podReady },
    { name: 'Status', type: 'string', jsonPath: '.status.phase', value: podStatus },
    { name: 'Restarts', type: 'integer', jsonPath: '.status.containerStatuses', value: podRestarts },
    ageColumn,
    { name: 'IP', type: 'string', jsonPath: '.status.podIP', priority: 1, value: (o) => str(dig(o, 'status', 'podIP')) || '<none>' },
    { name: 'Node', type: 'string', jsonPath: '.spec.nodeName', priority: 1, value: (o) => str(dig(o, 'spec', 'nodeName')) || '<none>' },
    { name: 'Nominated Node', type: 'string', jsonPath: '.status.nominatedNodeName', priority: 1, value: (o) => str(dig(o, 'status', 'nominatedNodeName')) || '<none>' },
    { name: 'Readiness Gates', type: 'string', jsonPath: '.spec.readinessGates', priority: 1, value: () => '<none>' },
  ],
});

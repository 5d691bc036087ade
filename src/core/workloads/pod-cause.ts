// Why a component pod is not ready, in the words closest to the cause: the last termination
// message of a crash-looping container (its last log line, written by the node agent as the
// kubelet does with FallbackToLogsOnError), else the pod's Ready condition message, else the
// container's waiting message. Pure.
import type { Pod } from './kube-object.js';
import { isPodReady } from './kube-object.js';

export interface PodCause {
  readonly pod: string;
  /** CamelCase reason for conditions and events. */
  readonly reason: string;
  readonly message: string;
}

function field(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

/** The cause of a not-ready pod; undefined when it is ready or nothing is known yet. */
export function podCause(pod: Pod): PodCause | undefined {
  if (isPodReady(pod) || pod.metadata.deletionTimestamp) return undefined;
  const cs = pod.status?.containerStatuses?.[0];
  const terminated = field(cs?.lastState, 'terminated', 'message');
  const restarts = cs?.restartCount ?? 0;
  const waiting = field(cs?.state, 'waiting');
  const waitingReason = typeof field(waiting, 'reason') === 'string' ? String(field(waiting, 'reason')) : '';
  let message: string | undefined;
  if (typeof terminated === 'string' && terminated !== '') {
    // No restart count in the text: the message (and the Event recorded for it) stays the same
    // while the container keeps failing for the same reason, as the kubelet's BackOff event does.
    message = restarts > 0 && waitingReason === 'CrashLoopBackOff' ? `${terminated} (CrashLoopBackOff)` : terminated;
  } else {
    const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
    const w = field(waiting, 'message');
    message = ready?.message ? ready.message : typeof w === 'string' && w !== '' ? w : undefined;
  }
  if (message === undefined) return undefined;
  return { pod: pod.metadata.name, reason: causeReason(message, waitingReason), message };
}

/** UFSUnreachable when the message says the under storage failed, else from the container state. */
export function causeReason(message: string, waitingReason = ''): string {
  // A component whose /healthz answers "<Reason>: <message>" (JuiceFSRuntime pods) names its cause.
  const named = /^health check \d+: ([A-Z][A-Za-z]+): /.exec(message);
  if (named?.[1]) return named[1];
  if (/under storage|UFS/i.test(message)) return 'UFSUnreachable';
  if (waitingReason === 'CrashLoopBackOff') return 'CrashLoopBackOff';
  return waitingReason !== '' && waitingReason !== 'ContainerCreating' ? waitingReason : 'NotReady';
}

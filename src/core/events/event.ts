// core/v1 Events as client-go's EventRecorder writes them, pure: the Event object for one
// occurrence, its deterministic name (so a repeat of the same event finds it and increments
// `count` instead of adding another object, as client-go's aggregation does), and the scrubbing
// that keeps secrets out of messages.

export type EventType = 'Normal' | 'Warning';

/** The object an event is about (kubectl describe selects events on these fields). */
export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

export interface EventOccurrence {
  readonly involved: InvolvedObject;
  readonly type: EventType;
  /** CamelCase, e.g. "Created", "UFSUnreachable". */
  readonly reason: string;
  readonly message: string;
  /** Reporting component, e.g. "alluxioruntime-controller" (kubectl describe's "From"). */
  readonly component: string;
}

/** Longest message kept; kube-apiserver caps event messages at 1 KiB as well. */
export const MAX_MESSAGE = 1024;

/**
 * The message with credentials removed: URL user-info ("s3://key:secret@host" -> "s3://***@host")
 * and values of credential-like `key=value` / `key: value` pairs. A defence in depth: callers
 * never put secret values in messages in the first place.
 */
export function scrubMessage(message: string): string {
  const out = message
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@')
    .replace(/((?:secret|password|passwd|token|accesskeysecret|secretkey|secret_access_key)[A-Za-z0-9_.-]*\s*[=:]\s*)("[^"]*"|\S+)/gi, '$1***');
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE - 3)}...` : out;
}

/** FNV-1a 64 bit, hex: a stable, dependency-free hash for event names. */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of new TextEncoder().encode(text)) {
    h ^= BigInt(ch);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Name shared by every repeat of one event: "<object>.<16 hex>". */
export function eventName(e: EventOccurrence): string {
  const i = e.involved;
  return `${i.name}.${fnv1a64(JSON.stringify([i.kind, i.namespace, i.name, i.uid, e.type, e.reason, scrubMessage(e.message), e.component]))}`;
}

/** The Event object of a first occurrence at `now` (RFC 3339, seconds). */
export function newEvent(e: EventOccurrence, now: string, host: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(e), namespace: e.involved.namespace },
    involvedObject: { ...e.involved },
    reason: e.reason,
    message: scrubMessage(e.message),
    type: e.type,
    source: { component: e.component, host },
    reportingComponent: e.component,
    reportingInstance: host,
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
  };
}

/** The patch for a repeat: one more occurrence, seen last at `now`. */
export function repeatPatch(existing: { readonly count?: unknown }, now: string): Record<string, unknown> {
  const count = typeof existing.count === 'number' ? existing.count : 1;
  return { count: count + 1, lastTimestamp: now };
}

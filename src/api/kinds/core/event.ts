import type { KindDefinition } from '../../kind.js';
import { KindObject } from '../internal/schema.js';
import { dig } from '../internal/checks.js';
import { ageOf } from '../human-duration.js';
import { coreKind, str } from '../internal/core-kind.js';

/** The newest of the times an event carries. */
function lastSeen(o: Record<string, unknown>, now: Date): string {
  const t = dig(o, 'series', 'lastObservedTime') ?? o['lastTimestamp'] ?? o['eventTime'] ?? o['firstTimestamp'] ?? dig(o, 'metadata', 'creationTimestamp');
  return ageOf(t, now);
}

/** v1 Event (core/v1 shape: fields at the top level, hence the preserved root). */
export const eventKind: KindDefinition = coreKind({
  kind: 'Event', plural: 'events', shortNames: ['ev'], namespaced: true,
  schema: KindObject(undefined, undefined, {}, true),
  columns: [
    { name: 'Last Seen', type: 'string', jsonPath: '.lastTimestamp', value: lastSeen },
    { name: 'Type', type: 'string', jsonPath: '.type', value: (o) => str(o['type']) },
    { name: 'Reason', type: 'string', jsonPath: '.reason', value: (o) => str(o['reason']) },
    {
      name: 'Object', type: 'string', jsonPath: '.involvedObject',
      value: (o) => `${str(dig(o, 'involvedObject', 'kind')).toLowerCase()}/${str(dig(o, 'involvedObject', 'name'))}`,
    },
    { name: 'Message', type: 'string', jsonPath: '.message', value: (o) => str(o['message']).trim() },
  ],
});

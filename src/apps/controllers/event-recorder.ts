// Writes core/v1 Events for the controllers (client-go's EventRecorder): the first occurrence
// creates the Event, a repeat of the same (object, type, reason, message) increments its count.
// Recording never fails a reconcile: a write error is logged and the event dropped, as
// client-go does.
import { kubeTime } from '../../core/workloads/kube-time.js';
import { hostname } from 'node:os';
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { R } from '../../adapters/kube/resources.js';
import { eventName, newEvent, repeatPatch, type EventType, type InvolvedObject } from '../../core/events/event.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';

export interface EventRecorder {
  /** Records one occurrence about `obj`. The message must not carry secret values (it is scrubbed as well). */
  record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
}

export function eventRecorder(client: KubeClient, component: string, log: (msg: string) => void): EventRecorder {
  const host = hostname();
  return {
    async record(obj, type, reason, message) {
      const involved: InvolvedObject = {
        apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? 'default', uid: obj.metadata.uid ?? '',
      };
      const occurrence = { involved, type, reason, message, component };
      const now = kubeTime(new Date());
      try {
        try {
          await client.create(R.event, newEvent(occurrence, now, host) as unknown as KubeObject);
        } catch (err) {
          if (!(err instanceof KubeApiError && err.status === 409)) throw err;
          const name = eventName(occurrence);
          const existing = await client.get<KubeObject & { count?: unknown }>(R.event, involved.namespace, name);
          if (existing) await client.patch(R.event, involved.namespace, name, repeatPatch(existing, now));
        }
      } catch (err) {
        log(`event ${reason} for ${obj.kind} ${involved.namespace}/${involved.name} dropped: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/adapters/kube/kube-client.js';
import { KubeApiError } from '../../../src/adapters/kube/kube-errors.js';
import { eventRecorder } from '../../../src/apps/controllers/event-recorder.js';
import type { KubeObject } from '../../../src/core/workloads/kube-object.js';

/** An in-memory Events collection with the API's create-conflict and merge-patch behaviour. */
function fakeEvents(): { client: KubeClient; events: Map<string, Record<string, unknown>> } {
  const events = new Map<string, Record<string, unknown>>();
  const client = {
    create(_rt: unknown, obj: KubeObject) {
      if (events.has(obj.metadata.name)) return Promise.reject(new KubeApiError(409, 'AlreadyExists', `events "${obj.metadata.name}" already exists`));
      events.set(obj.metadata.name, obj as unknown as Record<string, unknown>);
      return Promise.resolve(obj);
    },
    get(_rt: unknown, _ns: string | undefined, name: string) {
      return Promise.resolve(events.get(name));
    },
    patch(_rt: unknown, _ns: string | undefined, name: string, patch: Record<string, unknown>) {
      const cur = events.get(name) ?? {};
      events.set(name, { ...cur, ...patch });
      return Promise.resolve(events.get(name));
    },
  } as unknown as KubeClient;
  return { client, events };
}

const rt = { apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', metadata: { name: 'hbase', namespace: 'default', uid: 'u1' } } as KubeObject;

test('GIVEN the same event recorded three times THEN one Event exists with count 3; another reason is another Event', async () => {
  const { client, events } = fakeEvents();
  const rec = eventRecorder(client, 'AlluxioRuntime', () => undefined);
  for (let i = 0; i < 3; i++) await rec.record(rt, 'Warning', 'UFSUnreachable', 'under storage is not usable: HTTP 500');
  await rec.record(rt, 'Normal', 'Created', 'created master StatefulSet hbase-master');
  assert.equal(events.size, 2);
  const warning = [...events.values()].find((e) => e['reason'] === 'UFSUnreachable');
  assert.equal(warning?.['count'], 3);
  assert.deepEqual(warning?.['involvedObject'], { apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', name: 'hbase', namespace: 'default', uid: 'u1' });
});

test('GIVEN an API that refuses events THEN recording logs and never throws', async () => {
  const logs: string[] = [];
  const client = { create: () => Promise.reject(new KubeApiError(500, 'InternalError', 'boom')) } as unknown as KubeClient;
  await eventRecorder(client, 'AlluxioRuntime', (m) => logs.push(m)).record(rt, 'Normal', 'Created', 'x');
  assert.match(logs[0] ?? '', /event Created for AlluxioRuntime default\/hbase dropped: boom/);
});

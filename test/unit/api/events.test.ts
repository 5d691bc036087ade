import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventName, newEvent, repeatPatch, scrubMessage } from '../../../src/core/events/event.js';

const occ = {
  involved: { apiVersion: 'data.fluid.io/v1alpha1', kind: 'AlluxioRuntime', name: 'hbase', namespace: 'default', uid: 'u1' },
  type: 'Warning' as const, reason: 'UFSUnreachable', message: 'listing failed: HTTP 500', component: 'alluxioruntime-controller',
};

test('GIVEN the same event twice THEN both have one name; another reason, object or uid gives another name', () => {
  assert.equal(eventName(occ), eventName({ ...occ }));
  assert.match(eventName(occ), /^hbase\.[0-9a-f]{16}$/);
  assert.notEqual(eventName(occ), eventName({ ...occ, reason: 'Created' }));
  assert.notEqual(eventName(occ), eventName({ ...occ, involved: { ...occ.involved, uid: 'u2' } }));
});

test('GIVEN a first occurrence THEN the Event has count 1, equal first/last timestamps and the involvedObject kubectl describe selects on', () => {
  const e = newEvent(occ, '2026-01-01T00:00:00Z', 'node-1');
  assert.deepEqual(e['involvedObject'], occ.involved);
  assert.equal(e['count'], 1);
  assert.equal(e['firstTimestamp'], e['lastTimestamp']);
  assert.deepEqual(e['source'], { component: 'alluxioruntime-controller', host: 'node-1' });
  assert.deepEqual(repeatPatch({ count: 3 }, '2026-01-01T00:01:00Z'), { count: 4, lastTimestamp: '2026-01-01T00:01:00Z' });
});

test('GIVEN credentials in a message THEN user-info and credential values are scrubbed, the rest kept', () => {
  assert.equal(scrubMessage('GET s3://AKID:s3cr3t@host/bucket failed'), 'GET s3://***@host/bucket failed');
  assert.equal(scrubMessage('option fs.oss.accessKeySecret=abc123 rejected'), 'option fs.oss.accessKeySecret=*** rejected');
  assert.equal(scrubMessage('aws.secretKey: "x y" bad'), 'aws.secretKey: *** bad');
  assert.equal(scrubMessage('under storage is not usable: HTTP 500 InternalError'), 'under storage is not usable: HTTP 500 InternalError');
  assert.equal(scrubMessage('x'.repeat(2000)).length, 1024);
});

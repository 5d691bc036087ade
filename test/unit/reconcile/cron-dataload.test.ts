import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronSyntaxError, nextFire, parseCron } from '../../../src/core/reconcile/cron-schedule.js';
import { decideDataLoad, type DataLoadSnapshot } from '../../../src/core/reconcile/dataload-decision.js';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 30); // 10:00:30 UTC, a Thursday

test('GIVEN "*/5 * * * *" WHEN asked after 10:00:30 THEN it fires at 10:05', () => {
  assert.equal(nextFire(parseCron('*/5 * * * *'), T0), Date.UTC(2026, 0, 1, 10, 5));
});

test('GIVEN "0 3 * * 1" THEN the next fire is Monday 03:00', () => {
  assert.equal(nextFire(parseCron('0 3 * * 1'), T0), Date.UTC(2026, 0, 5, 3, 0));
});

test('GIVEN @hourly and a list/range THEN both parse and fire correctly', () => {
  assert.equal(nextFire(parseCron('@hourly'), T0), Date.UTC(2026, 0, 1, 11, 0));
  assert.equal(nextFire(parseCron('15,45 9-11 * * *'), T0), Date.UTC(2026, 0, 1, 10, 15));
});

test('GIVEN a malformed schedule THEN parsing names the field', () => {
  assert.throws(() => parseCron('61 * * * *'), (e: unknown) => e instanceof CronSyntaxError && /minute|59/i.test(e.message));
  assert.throws(() => parseCron('* * *'), /expected 5 fields/);
});

const once: DataLoadSnapshot = { phase: undefined, policy: 'Once', schedule: undefined, lastScheduleTimeMs: undefined, createdMs: T0, datasetBound: true, running: false };

test('GIVEN a new Once DataLoad on a bound dataset THEN it starts; after Complete it stays idle', () => {
  assert.deepEqual(decideDataLoad(once, T0), { action: 'start' });
  assert.deepEqual(decideDataLoad({ ...once, phase: 'Complete' }, T0 + 1e9), { action: 'idle' });
});

test('GIVEN the dataset is not bound THEN the DataLoad waits and says why', () => {
  const d = decideDataLoad({ ...once, datasetBound: false }, T0);
  assert.equal(d.action, 'wait');
  assert.equal(d.action === 'wait' && d.reason, 'DatasetNotBound');
});

test('GIVEN a Cron DataLoad WHEN the fake clock passes each fire time THEN it starts again each minute', () => {
  const cron: DataLoadSnapshot = { ...once, policy: 'Cron', schedule: '* * * * *' };
  const first = decideDataLoad(cron, T0);
  assert.equal(first.action, 'idle');
  assert.equal(first.action === 'idle' && first.requeueAfterMs, 30_000);
  const t1 = Date.UTC(2026, 0, 1, 10, 1);
  assert.deepEqual(decideDataLoad(cron, t1), { action: 'start' });
  const afterRun = { ...cron, phase: 'Complete' as const, lastScheduleTimeMs: t1 };
  assert.equal(decideDataLoad(afterRun, t1 + 10_000).action, 'idle');
  assert.deepEqual(decideDataLoad(afterRun, Date.UTC(2026, 0, 1, 10, 2)), { action: 'start' });
});

test('GIVEN Cron without a schedule THEN the DataLoad fails naming spec.schedule', () => {
  const d = decideDataLoad({ ...once, policy: 'Cron' }, T0);
  assert.equal(d.action, 'fail');
  assert.match(d.action === 'fail' ? d.message : '', /spec\.schedule/);
});

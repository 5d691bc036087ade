import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidCronError, parseCronSchedule } from '../../../src/api/kinds/cron-schedule.js';

test('GIVEN a schedule with steps, ranges, lists and names WHEN parsed THEN the sets are expanded', () => {
  const s = parseCronSchedule('*/15 0-2,12 1 JAN-MAR MON,FRI');
  assert.deepEqual([...s.minutes], [0, 15, 30, 45]);
  assert.deepEqual([...s.hours], [0, 1, 2, 12]);
  assert.deepEqual([...s.months], [1, 2, 3]);
  assert.deepEqual([...s.daysOfWeek].sort(), [1, 5]);
  assert.equal(s.domStar, false);
});

test('GIVEN day-of-week 7 and @daily WHEN parsed THEN 7 is Sunday and the descriptor expands', () => {
  assert.deepEqual([...parseCronSchedule('0 0 * * 7').daysOfWeek], [0]);
  const d = parseCronSchedule('@daily');
  assert.deepEqual([[...d.minutes], [...d.hours], d.domStar, d.dowStar], [[0], [0], true, true]);
});

for (const bad of ['', '* * * *', '* * * * * *', '61 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '*/0 * * * *', '5-1 * * * *', 'x * * * *']) {
  test(`GIVEN the schedule ${JSON.stringify(bad)} WHEN parsed THEN InvalidCronError`, () => {
    assert.throws(() => parseCronSchedule(bad), InvalidCronError);
  });
}

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PeriodicTask, type TimerPort } from '../../../src/adapters/process/periodic-task.js';

/** A fake clock: timers fire only when the test advances time. */
class FakeTimers implements TimerPort {
  now = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void { this.pending.delete(handle as number); }
  get live(): number { return this.pending.size; }
  /** Fires every timer due up to now+ms, in order, letting each round's promise settle. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.now = end;
  }
}

describe('PeriodicTask', () => {
  it('GIVEN a 100 ms round WHEN it runs for 10 minutes THEN one timer at most is ever pending', async () => {
    const timers = new FakeTimers();
    let rounds = 0;
    let maxLive = 0;
    const task = new PeriodicTask(() => { rounds++; maxLive = Math.max(maxLive, timers.live); return Promise.resolve(100); },
      { timers, onError: () => assert.fail('no round fails') }).start();
    for (let s = 0; s < 600; s++) {
      await timers.advance(1000);
      maxLive = Math.max(maxLive, timers.live);
    }
    assert.equal(rounds, 6001);
    assert.ok(maxLive <= 1, `live timers ${maxLive}`);
    assert.equal(task.pendingTimers, 1);
    task.stop();
    assert.equal(timers.live, 0);
  });

  it('GIVEN a round that throws THEN the error is reported and the next round runs after errorDelayMs', async () => {
    const timers = new FakeTimers();
    const errors: unknown[] = [];
    let rounds = 0;
    new PeriodicTask(() => { rounds++; return rounds === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(10_000); },
      { timers, errorDelayMs: 250, onError: (e) => errors.push(e) }).start();
    await timers.advance(0);
    assert.equal(errors.length, 1);
    await timers.advance(249);
    assert.equal(rounds, 1);
    await timers.advance(1);
    assert.equal(rounds, 2);
  });

  it('GIVEN a round in flight WHEN stop() is called THEN nothing is scheduled after it', async () => {
    const timers = new FakeTimers();
    let release!: (ms: number) => void;
    const task = new PeriodicTask(() => new Promise<number>((r) => { release = r; }), { timers, onError: () => undefined }).start();
    await timers.advance(0);
    task.stop();
    release(100);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    assert.equal(timers.live, 0);
  });
});

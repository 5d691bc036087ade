// The process supervisor: output goes to the log file, a crashing child is restarted with
// exponential backoff (a crash loop cannot eat the CPU), and stop() ends it with no restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupervisedProcess, type ProcessSnapshot } from '../../../src/adapters/process/supervised-process.js';
import { tempDir, waitFor } from '../../support/proc.js';

test('GIVEN a child that exits at once WHEN supervised THEN restarts back off (1 s, 2 s, ...) and stop() ends it', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, 'fluid-sup-');
  const snaps: ProcessSnapshot[] = [];
  const p = new SupervisedProcess({
    command: process.execPath, args: ['-e', 'console.log("hello from child"); process.exit(3)'],
    env: { PATH: process.env['PATH'] ?? '' }, cwd: dir, logFile: join(dir, 'c.log'), pidFile: join(dir, 'c.pid'),
    backoff: { baseMs: 400, maxMs: 5_000 },
  }, (s) => snaps.push(s));
  p.start();
  t.after(() => p.stop(0));
  await waitFor('two restarts', () => p.snapshot().restartCount >= 2, 20_000, 50);
  const starts = snaps.filter((s) => s.state === 'running').map((s) => s.startedAt ?? 0);
  // Gaps grow: 400 ms then 800 ms (plus process start time); never a tight loop.
  assert.ok((starts[1] ?? 0) - (starts[0] ?? 0) >= 400, `first gap ${(starts[1] ?? 0) - (starts[0] ?? 0)}`);
  assert.ok((starts[2] ?? 0) - (starts[1] ?? 0) >= 800, `second gap ${(starts[2] ?? 0) - (starts[1] ?? 0)}`);
  assert.equal(p.snapshot().lastExit?.code, 3);
  await p.stop(0);
  const n = p.snapshot().restartCount;
  await new Promise((r) => setTimeout(r, 1_500));
  assert.equal(p.snapshot().restartCount, n, 'no restart after stop');
  assert.equal(p.snapshot().state, 'stopped');
  const log = readFileSync(join(dir, 'c.log'), 'utf8');
  assert.ok((log.match(/hello from child/g) ?? []).length >= 2);
  assert.match(log, /exited code=3/);
  assert.ok(!existsSync(join(dir, 'c.pid')));
});

test('GIVEN a long-running child WHEN stopped with a grace period THEN SIGTERM ends it; grace 0 sends SIGKILL', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, 'fluid-sup-');
  const mk = (script: string): SupervisedProcess => new SupervisedProcess({
    command: process.execPath, args: ['-e', script], env: {}, cwd: dir, logFile: join(dir, 'l.log'), pidFile: join(dir, 'l.pid'),
  });
  const polite = mk('setInterval(() => {}, 1000)');
  polite.start();
  await waitFor('running', () => polite.snapshot().state === 'running', 10_000, 50);
  await polite.stop(5_000);
  assert.equal(polite.snapshot().lastExit?.signal, 'SIGTERM');
  const stubborn = mk('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)');
  stubborn.start();
  t.after(() => stubborn.stop(0));
  await new Promise((r) => setTimeout(r, 300));
  await stubborn.stop(0);
  assert.equal(stubborn.snapshot().lastExit?.signal, 'SIGKILL');
});

// A supervised fluid process must not outlive its supervisor: when the node agent (the control
// plane) dies, engine processes stop themselves instead of lingering as orphans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliEntry, start, tempDir, waitFor } from '../../support/proc.js';
import { pidAlive } from '../../../src/adapters/process/pid.js';

test('GIVEN a fluid process started with FLUID_PARENT_PID WHEN its parent is SIGKILLed THEN it exits by itself', async (t) => {
  const home = tempDir(t);
  // The parent plays the supervisor: it starts `fluid apiserver` with FLUID_PARENT_PID set to itself.
  const parentScript = `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, [${JSON.stringify(cliEntry)}, 'apiserver', '--home', ${JSON.stringify(home)}, '--port', '0'],
      { env: { ...process.env, FLUID_PARENT_PID: String(process.pid) }, stdio: 'ignore' });
    console.log('CHILD ' + c.pid);
    setInterval(() => {}, 1000);
  `;
  const parent = start(t, process.execPath, ['-e', parentScript]);
  const childPid = Number((await waitFor('the child pid', () => /CHILD (\d+)/.exec(parent.output())?.[1], 30_000)));
  t.after(() => { if (pidAlive(childPid)) process.kill(childPid, 'SIGKILL'); });
  await waitFor('the child to be up', () => pidAlive(childPid), 10_000);

  await parent.kill('SIGKILL');

  await waitFor('the orphaned child to exit', () => !pidAlive(childPid), 30_000, 200);
  assert.equal(pidAlive(childPid), false);
});

// GIVEN `fluid up`, WHEN it is run again, after a crash (stale state file) and with a mount
// left under HOME, THEN up is idempotent, recovers, and `fluid down` leaves nothing running
// or mounted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMountpoint, runFluid, tempDir, unmountQuietly, waitFor } from '../../support/proc.js';
import { pidAlive } from '../../../src/adapters/process/pid.js';

test('GIVEN fluid up WHEN up runs twice, the control plane is SIGKILLed and a mount is left under HOME THEN up recovers and down cleans everything', async (t) => {
  const home = tempDir(t, 'fluid-home-');
  t.after(() => { runFluid(['down', '--home', home]); });
  const env = { ...process.env, FLUID_HOME: home };
  const up1 = runFluid(['up'], { env });
  assert.equal(up1.code, 0, up1.stderr);
  assert.match(up1.stdout, /kubeconfig: .*kubeconfig/);
  const k = runFluid(['kubeconfig'], { env });
  assert.equal(k.stdout.trim(), join(home, 'kubeconfig'), 'FLUID_HOME selects the home');
  const up2 = runFluid(['up', '--home', home]);
  assert.equal(up2.code, 0, up2.stderr);
  assert.match(up2.stdout, /already running/);

  // Crash: SIGKILL leaves a stale controlplane.json; up notices and starts a fresh one.
  const { pid } = JSON.parse(readFileSync(join(home, 'controlplane.json'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');
  await waitFor('the control plane to die', () => !pidAlive(pid), 10_000);
  const up3 = runFluid(['up', '--home', home]);
  assert.equal(up3.code, 0, up3.stderr);
  assert.match(up3.stdout, /control plane started/);
  const { pid: pid2 } = JSON.parse(readFileSync(join(home, 'controlplane.json'), 'utf8')) as { pid: number };
  assert.notEqual(pid2, pid);
  const kubectl = spawnSync('/usr/bin/kubectl', ['--kubeconfig', join(home, 'kubeconfig'), 'get', 'namespaces', '-o', 'name'], { encoding: 'utf8' });
  assert.match(kubectl.stdout, /namespace\/fluid-system/);

  // A mount left under HOME is lazily unmounted by down.
  const mnt = join(home, 'mnt', 'leftover');
  mkdirSync(mnt, { recursive: true });
  t.after(() => unmountQuietly(mnt));
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  const mounted = m.status === 0;
  if (mounted) assert.ok(isMountpoint(mnt));

  const down = runFluid(['down', '--home', home]);
  assert.equal(down.code, 0, down.stderr);
  assert.ok(!pidAlive(pid2), 'the control plane is gone');
  if (mounted) assert.ok(!isMountpoint(mnt), 'nothing is mounted under HOME');
  assert.match(runFluid(['status', '--home', home]).stdout, /state:\s+stopped/);
  assert.match(runFluid(['down', '--home', home]).stdout, /was not running/);
});

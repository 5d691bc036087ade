// ThinRuntime client launcher, standalone, with a real rclone FUSE client against real nginx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMountpoint, sha256File, tempDir, waitFor } from '../../support/proc.js';
import { startNginx, writeRandomFile } from '../../support/servers.js';
import { readMountInfo } from '../../../src/adapters/thin/mount-probe.js';
import { topMountAt } from '../../../src/core/thin/mountinfo.js';
import { rcloneScript, startLauncher } from './launcher-harness.js';

const rcloneProfile = { fileSystemType: 'fuse.rclone', fuse: { command: ['sh', rcloneScript] } };

test('GIVEN an HTTP dataset and an rclone profile WHEN the client runs THEN the target is a fuse.rclone mount in the host namespace, bytes match, /etc/fluid stays private, a SIGKILLed client is remounted and stop unmounts', async (t) => {
  const root = tempDir(t, 'fluid-thin-web-');
  chmodSync(root, 0o755); // nginx workers do not run as root
  mkdirSync(join(root, 'data'));
  writeRandomFile(join(root, 'data', 'big.bin'), 6 * 1024 * 1024 + 123, 7);
  const nginx = await startNginx(t, root);
  const h = await startLauncher(t, {
    dataset: { mounts: [{ mountPoint: `${nginx.url}data/`, name: 'web' }] },
    profile: rcloneProfile,
    runtime: { profileName: 'rclone-http', fuse: { options: { 'dir-cache-time': '5s' } } },
  });
  const ready = await h.waitStatus('mounted', (s) => s.ready);
  assert.equal(ready.fsType, 'fuse.rclone');
  const want = await sha256File(join(root, 'data', 'big.bin'));
  assert.equal(await sha256File(join(h.targetPath, 'big.bin')), want);

  // The host sees the FUSE mount but not the namespace's /etc/fluid tmpfs; the client sees both.
  const hostInfo = await readMountInfo();
  assert.equal(topMountAt(hostInfo, h.targetPath)?.fsType, 'fuse.rclone');
  assert.equal(topMountAt(hostInfo, '/etc/fluid'), undefined);
  const pid = h.launcher.current().pid;
  assert.ok(pid);
  const clientInfo = await readMountInfo(pid);
  assert.ok(topMountAt(clientInfo, '/etc/fluid/config/config.json'));
  assert.ok(topMountAt(clientInfo, '/etc/fluid/config.json'));
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  assert.ok(env.includes('FLUID_CONFIG_PATH=/etc/fluid/config/config.json'));

  // Crash: the FUSE server dies, leaving a dead mount; the launcher cleans it up and remounts.
  process.kill(pid, 'SIGKILL');
  const again = await h.waitStatus('remounted after crash', (s) => s.ready && s.restarts >= 1 && s.pid !== pid);
  assert.ok(again.pid !== pid);
  assert.ok(h.history.some((s) => s.reason === 'ClientExited' && /SIGKILL/.test(s.message)));
  assert.equal(await sha256File(join(h.targetPath, 'big.bin')), want);

  await h.launcher.stop();
  assert.equal(isMountpoint(h.targetPath), false);
  assert.equal(h.launcher.current().reason, 'Stopped');
});

test('GIVEN a dead FUSE mount left at the target by an earlier crash WHEN the launcher starts THEN it detaches it and mounts again', async (t) => {
  const root = tempDir(t, 'fluid-thin-web-');
  chmodSync(root, 0o755); // nginx workers do not run as root
  writeRandomFile(join(root, 'f.bin'), 300_000, 3);
  const nginx = await startNginx(t, root);
  const h = await startLauncher(t, {
    dataset: { mounts: [{ mountPoint: nginx.url }] },
    profile: rcloneProfile,
    before: async (target) => {
      // A client that crashed: rclone mounted here and was SIGKILLed.
      mkdirSync(target, { recursive: true });
      const { spawn } = await import('node:child_process');
      const c = spawn('rclone', ['mount', ':http:', target, '--http-url', nginx.url, '--config', '/dev/null'], { stdio: 'ignore' });
      await waitFor('stale rclone mount', () => isMountpoint(target), 20_000);
      c.kill('SIGKILL');
      await waitFor('dead mount', () => {
        try { statSync(target); return false; } catch (e) { return (e as NodeJS.ErrnoException).code === 'ENOTCONN'; }
      }, 10_000);
    },
  });
  await h.waitStatus('mounted over the cleaned-up dead mount', (s) => s.ready);
  assert.ok(h.history.some((s) => s.reason === 'DeadMount'), JSON.stringify(h.history));
  assert.equal(await sha256File(join(h.targetPath, 'f.bin')), await sha256File(join(root, 'f.bin')));
});

test('GIVEN a client whose FUSE server dies while its wrapper keeps running WHEN the mount turns dead (ENOTCONN) THEN DeadMount is reported, the client restarted and the data readable again', async (t) => {
  const root = tempDir(t, 'fluid-thin-web-');
  chmodSync(root, 0o755);
  writeRandomFile(join(root, 'g.bin'), 500_000, 9);
  const nginx = await startNginx(t, root);
  const h = await startLauncher(t, {
    dataset: { mounts: [{ mountPoint: nginx.url }] },
    profile: {
      fileSystemType: 'fuse.rclone',
      fuse: { command: ['sh', '-c', 'T=$(jq -r .targetPath "$FLUID_CONFIG_PATH"); U=$(jq -r .mounts[0].mountPoint "$FLUID_CONFIG_PATH"); rclone mount :http: "$T" --http-url "$U" --config /dev/null & echo $! > rclone.pid; sleep 100000'] },
    },
  });
  await h.waitStatus('mounted', (s) => s.ready);
  const want = await sha256File(join(root, 'g.bin'));
  assert.equal(await sha256File(join(h.targetPath, 'g.bin')), want);
  const rclonePid = Number(readFileSync(join(h.filesDir, 'work', 'rclone.pid'), 'utf8'));
  process.kill(rclonePid, 'SIGKILL');
  const dead = await h.waitStatus('DeadMount', (s) => s.reason === 'DeadMount');
  assert.match(dead.message, /dead mount at .*ENOTCONN|disappeared/);
  await h.waitStatus('remounted', (s) => s.ready && s.restarts >= 1);
  assert.equal(await sha256File(join(h.targetPath, 'g.bin')), want);
});

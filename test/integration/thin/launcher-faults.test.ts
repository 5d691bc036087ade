// ThinRuntime client launcher faults with real processes: a client that exits (stderr quoted
// with secrets masked, restarted with backoff) and a client that never mounts (timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMountpoint } from '../../support/proc.js';
import { startLauncher } from './launcher-harness.js';

const SECRET = 'sup3r-s3cret-value';

test('GIVEN a client that fails reading its credentials WHEN it exits THEN it is restarted with growing backoff and the condition quotes its stderr with the secret masked', async (t) => {
  const h = await startLauncher(t, {
    dataset: { mounts: [{ mountPoint: 'minio://bucket', encryptOptions: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'cred', key: 'token' } } }] }] },
    secrets: { cred: { token: SECRET } },
    profile: {
      fileSystemType: 'fuse.s3fs',
      fuse: { command: ['sh', '-c', 'f=$(jq -r ".mounts[0].options.token" "$FLUID_CONFIG_PATH"); echo "login refused for token $(cat "$f")" >&2; exit 3'] },
    },
  });
  const s = await h.waitStatus('second failed run', (x) => x.reason === 'ClientExited' && x.restarts >= 1);
  assert.match(s.message, /exited with code 3; restarting in \d+ ms/);
  assert.deepEqual(s.lastOutput, ['login refused for token ******']);
  const delays = h.history.filter((x) => x.reason === 'ClientExited').map((x) => Number(/restarting in (\d+) ms/.exec(x.message)?.[1]));
  assert.ok(delays.length >= 2 && (delays[1] ?? 0) > (delays[0] ?? 0), `backoff grows: ${delays.join(',')}`);
  assert.ok(!JSON.stringify(h.history).includes(SECRET));
});

test('GIVEN a client that runs but never mounts WHEN the mount timeout passes THEN a MountTimeout status names the path and fsType and the client is restarted', async (t) => {
  const h = await startLauncher(t, {
    dataset: { mounts: [{ mountPoint: 'http://127.0.0.1:9/' }] },
    profile: { fileSystemType: 'fuse.rclone', fuse: { command: ['sleep', '600'] } },
    options: { mountTimeoutMs: 1_500 },
  });
  const s = await h.waitStatus('mount timeout', (x) => x.reason === 'MountTimeout');
  assert.match(s.message, /timed out after 1500 ms waiting for .*thin-fuse: no fuse\.rclone mount appeared/);
  await h.waitStatus('restarted after the timeout', (x) => x.reason === 'Starting' && x.restarts >= 1);
  await h.launcher.stop();
  assert.equal(isMountpoint(h.targetPath), false);
});

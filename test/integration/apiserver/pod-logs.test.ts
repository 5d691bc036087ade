// GIVEN a pod whose container log the node agent writes under HOME/pods, WHEN kubectl logs
// reads it (whole, --tail, -f), THEN the file's lines come back; bad container names are 400s.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, tempDir, waitFor } from '../../support/proc.js';
import { startApiServerProcess } from './harness.js';

test('GIVEN a pod with a container log file WHEN kubectl logs reads it THEN the lines are served, tailed and followed', async (t) => {
  const home = tempDir(t, 'fluid-apiserver-');
  const { cluster: c } = await startApiServerProcess(t, home, await freePort());
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'copy' }, spec: { containers: [{ name: 'main', image: 'busybox' }, { name: 'side', image: 'busybox' }] } };
  assert.equal((await c.api('POST', '/api/v1/namespaces/default/pods', { body: pod })).status, 201);
  const dir = join(home, 'pods', 'default', 'copy');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.log'), 'line 1\nline 2\nline 3\n');

  assert.equal(c.kubectl(['logs', 'copy', '-c', 'main']).stdout, 'line 1\nline 2\nline 3\n');
  assert.equal(c.kubectl(['logs', 'copy', '-c', 'main', '--tail=1']).stdout, 'line 3\n');
  const noContainer = c.kubectl(['logs', 'copy', '-c', 'nope']);
  assert.notEqual(noContainer.code, 0);
  assert.match(noContainer.stderr, /container nope is not valid for pod copy/);
  assert.match(c.kubectl(['logs', 'copy', '-c', 'side']).stderr, /waiting to start/);

  const follow = spawn('/usr/bin/kubectl', ['--kubeconfig', c.kubeconfig, 'logs', '-f', 'copy', '-c', 'main'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { follow.kill('SIGKILL'); });
  let out = '';
  follow.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor('the existing lines', () => out.includes('line 3'), 30_000);
  appendFileSync(join(dir, 'main.log'), 'line 4\n');
  await waitFor('the appended line', () => out.includes('line 4\n'), 30_000);
  const ended = new Promise((r) => follow.on('exit', r));
  assert.equal((await c.api('DELETE', '/api/v1/namespaces/default/pods/copy?gracePeriodSeconds=0')).status, 200);
  await ended; // the stream ends when the pod is gone
});

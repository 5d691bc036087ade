// kubectl exec (WebSocket v5.channel.k8s.io) and kubectl logs against `fluid up`, into an
// application pod without volumes (the node agent runs it as a host process in a private mount
// namespace, with a holder process since it has no command): exit codes, stdin, stderr, a
// pseudo-terminal, and clear errors for a pod that is not running and a container that is not there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { waitFor } from '../../support/proc.js';
import { upCluster } from './harness.js';

test('GIVEN fluid up with a pod of image busybox and no command', { timeout: 180_000 }, async (t) => {
  const c = upCluster(t);
  const k = (args: string[], input?: string) => c.kubectl(args, input === undefined ? {} : { input });
  assert.equal(k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'box' }, spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'GREETING', value: 'hello' }] }] } })).code, 0);
  await waitFor('box Running', () => /\bRunning\b/.test(k(['get', 'pod', 'box']).stdout), 60_000, 300);

  await t.test('THEN the pod condition says the entrypoint was not run', () => {
    const pod = JSON.parse(k(['get', 'pod', 'box', '-o', 'json']).stdout) as { status: { conditions: { type: string; status: string; message: string }[] } };
    const cond = pod.status.conditions.find((x) => x.type === 'fluid.io/EntrypointNotRun');
    assert.equal(cond?.status, 'True');
    assert.match(cond?.message ?? '', /^image busybox was not pulled and its entrypoint was not run/);
  });

  await t.test('WHEN a command runs THEN stdout, stderr, env and the exit code come back', () => {
    const r = k(['exec', 'box', '--', 'sh', '-c', 'echo "out $GREETING"; echo err >&2; exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'out hello\n');
    assert.match(r.stderr, /^err\n/m);
    assert.match(r.stderr, /command terminated with exit code 3/);
    assert.equal(k(['exec', 'box', '--', 'true']).code, 0);
  });

  await t.test('WHEN stdin is given (-i) THEN the command reads it to its end', () => {
    const r = k(['exec', '-i', 'box', '--', 'sh', '-c', 'wc -c'], 'x'.repeat(100_000));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '100000');
  });

  await t.test('WHEN exec -it runs from a terminal THEN the command has a tty', () => {
    const r = spawnSync('script', ['-q', '-e', '-c', `/usr/bin/kubectl --kubeconfig ${c.kubeconfig} exec -it box -- sh -c 'tty; echo done'`, '/dev/null'], { encoding: 'utf8', timeout: 60_000, input: '' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\/dev\/pts\/\d+\r?\n/);
    assert.match(r.stdout, /done/);
  });

  await t.test('WHEN the container or pod is wrong THEN kubectl shows the reason', () => {
    const bad = k(['exec', 'box', '-c', 'nope', '--', 'true']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /container nope is not valid for pod box/);
    assert.equal(k(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'refused' }, spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'h', hostPath: { path: '/tmp' } }] } })).code, 0);
    const r = k(['exec', 'refused', '--', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /container c in pod refused is not running/);
  });

  await t.test('WHEN the pod is deleted THEN its holder process goes', async () => {
    const pid = Number(spawnSync('cat', [`${c.home}/pods/default/box/c.pid`], { encoding: 'utf8' }).stdout.trim());
    assert.ok(pid > 0);
    assert.equal(k(['delete', 'pod', 'box']).code, 0);
    await waitFor('the holder process gone', () => spawnSync('kill', ['-0', String(pid)]).status !== 0, 30_000, 200);
  });
});

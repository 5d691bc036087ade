// Engine authentication in embedded mode (`fluid up`): the runtime controller creates the runtime's
// credential Secret, the node agent hands it to every engine pod as a 0600 file named by path in the
// engine config, and every /rpc/* method and /blocks route of the runtime's master and worker
// refuses a request without it, or with another runtime's, with 401. The controllers (status sync,
// DataLoad), the CLI (`fluid master-info`) and the FUSE client present it; the token appears in no
// config, argument, log, status or event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { callRpc } from '../../../src/adapters/rpc/rpc-client.js';
import { assertAllUnauthorized, assertHealthOpen, engineProbes } from '../../support/engine-auth.js';
import { sha256File, waitFor } from '../../support/proc.js';
import { pods, runtimeCredential, runtimeYaml, serveHbase, startControlPlane, waitObj } from './harness.js';

/** A Dataset over the fixture and its AlluxioRuntime. */
const datasetAndRuntime = (name: string, url: string, replicas: number): string => `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: ${name}
spec:
  mounts:
    - mountPoint: ${url}
      name: hbase
${runtimeYaml(name, replicas)}`;

test('engine auth under fluid up: per-runtime Secret as a 0600 file, 401 on every engine endpoint without it or with another runtime\'s, the token nowhere else', { timeout: 400_000 }, async (t) => {
  const { files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], datasetAndRuntime('authz', `${nginx.url}hbase/`, 1));
  cp.k(['create', '-f', '-'], datasetAndRuntime('other', `${nginx.url}hbase/`, 0));

  await waitObj(cp, ['alluxioruntime', 'authz'], (o) => o.status?.['workerPhase'] === 'Ready' && o.status['fusePhase'] === 'Ready', 'runtime authz ready', 240_000);
  await waitObj(cp, ['dataset', 'authz'], (o) => o.status?.['phase'] === 'Bound', 'dataset authz Bound');
  await waitFor('the other runtime\'s Secret', () => cp.kubectl(['get', 'secret', 'other-engine-token']).code === 0, 60_000, 500);

  // The Secret: owned by the runtime, a token of at least 32 characters.
  const rt = cp.json<{ metadata: { uid: string } }>(['get', 'alluxioruntime', 'authz']);
  const secret = cp.json<{ type: string; metadata: { ownerReferences?: { kind: string; name: string; uid: string }[] } }>(['get', 'secret', 'authz-engine-token']);
  assert.equal(secret?.type, 'Opaque');
  assert.deepEqual(secret?.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}/${r.uid}`), [`AlluxioRuntime/authz/${rt?.metadata.uid ?? ''}`]);
  const cred = runtimeCredential(cp, 'authz');
  const other = runtimeCredential(cp, 'other');
  const token = cred.reveal();
  assert.ok(token.length >= 32);
  assert.notEqual(token, other.reveal());

  // Each engine pod gets it as a 0600 file in a 0700 dir; its config names the path only.
  for (const pod of ['authz-master-0', 'authz-worker-0']) {
    const dir = join(cp.home, 'pods', 'default', pod, 'secrets', 'authz-engine-token');
    assert.equal(statSync(dir).mode & 0o777, 0o700, `${pod} secrets dir`);
    assert.equal(statSync(join(dir, 'token')).mode & 0o777, 0o600, `${pod} token file`);
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), token);
    const cfg = JSON.parse(readFileSync(join(cp.home, 'pods', 'default', pod, 'volumes', 'engine-config', `${pod}.json`), 'utf8')) as { tokenFile?: string };
    assert.equal(cfg.tokenFile, join(dir, 'token'), `${pod} config names the token file`);
  }

  // Every authenticated endpoint of the runtime's master and worker refuses a missing or foreign token.
  const addr = (name: string): string => {
    const a = pods(cp).find((p) => p.name === name)?.annotations['fluid.io/engine-address'];
    assert.ok(a, `${name} address`);
    return a;
  };
  const master = addr('authz-master-0');
  const worker = addr('authz-worker-0');
  const probes = engineProbes(master, worker);
  await assertAllUnauthorized(probes);
  await assertAllUnauthorized(probes, other);
  await assertHealthOpen([master, worker]);
  // ... and answers its own.
  const info = await callRpc<{ leader: { id: string } | null }>(master, 'masterInfo', {}, { credential: cred, timeoutMs: 5000 });
  assert.equal(info.leader?.id, 'authz-master-0');

  // The callers present it: the CLI, the status sync (cacheStates from master stats), the FUSE client.
  const mi = cp.fluid(['master-info', 'authz']);
  assert.equal(mi.code, 0, mi.stderr);
  assert.match(mi.stdout, /^Current leader master: authz-master-0:\d+\n/);
  const root = cp.fluid(['mount-path', 'authz']).stdout.trim();
  for (const [rel, sha] of [...files].slice(0, 5)) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, rel);
  await waitObj(cp, ['dataset', 'authz'], (o) => typeof (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cached'] === 'string'
    && (o.status?.['cacheStates'] as Record<string, string>)['cached'] !== '0.00B', 'status sync reads the cached bytes from the master', 60_000);

  // The token appears nowhere but in the Secret and its files: not in pod specs or statuses, events,
  // runtime or dataset objects, configs, logs.
  for (const what of [['pods'], ['events'], ['alluxioruntime'], ['dataset'], ['configmaps']]) {
    const out = cp.k(['get', ...what, '-A', '-o', 'json']);
    assert.ok(!out.includes(token), `${what.join(' ')} carry no token`);
  }
  const hits = spawnSync('grep', ['-rlF', '--exclude=apiserver.db*', token, cp.home], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(hits, ['authz-fuse', 'authz-master-0', 'authz-worker-0'].flatMap((p) => {
    const name = p === 'authz-fuse' ? pods(cp).find((x) => x.name.startsWith('authz-fuse-'))?.name ?? p : p;
    return [join(cp.home, 'pods', 'default', name, 'secrets', 'authz-engine-token', 'token')];
  }).sort(), 'only the secret files hold the token');
});

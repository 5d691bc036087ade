import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planClient, FLUID_CONFIG_PATH } from '../../../src/core/thin/client-plan.js';
import { lastLines, maskSecrets } from '../../../src/core/thin/mask-secrets.js';
import { RestartBackoff } from '../../../src/core/thin/restart-backoff.js';

const profile = {
  fileSystemType: 'fuse.s3fs',
  fuse: { image: 'repo/fluid-minio', imageTag: 'demo', command: ['sh', '-c', 'parse && mount'], env: [{ name: 'A', value: '1' }, { name: 'B', value: 'p' }] },
};

test('GIVEN a profile and runtime env/args overrides WHEN planned THEN argv is command++args and env merges by name with FLUID_CONFIG_PATH', () => {
  const r = planClient('minio', profile, { profileName: 'minio', fuse: { args: ['--x'], env: [{ name: 'B', value: 'r' }] } }, '/t');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.plan?.argv, ['sh', '-c', 'parse && mount', '--x']);
  assert.deepEqual(r.plan?.env, { A: '1', B: 'r', FLUID_CONFIG_PATH });
  assert.equal(r.plan?.image, 'repo/fluid-minio:demo');
  assert.equal(r.plan?.fileSystemType, 'fuse.s3fs');
});

test('GIVEN a profile with no command WHEN planned THEN the error names the profile field', () => {
  const r = planClient('p1', { fileSystemType: 'fuse', fuse: { image: 'x' } }, { profileName: 'p1' }, '/t');
  assert.equal(r.plan, undefined);
  assert.match(r.errors[0]?.path ?? '', /thinruntimeprofile\/p1: spec\.fuse\.command/);
});

test('GIVEN env with valueFrom WHEN planned THEN it is rejected naming spec.fuse.env[i].value', () => {
  const r = planClient('p', profile, { profileName: 'p', fuse: { env: [{ name: 'S' }] } }, '/t');
  assert.equal(r.errors[0]?.path, 'spec.fuse.env[0].value');
});

test('GIVEN stderr containing secrets WHEN masked THEN every occurrence (longest first) becomes ******', () => {
  assert.equal(maskSecrets('key=minioadmin pass=minioadmin123 ok', ['minioadmin', 'minioadmin123', '']), 'key=****** pass=****** ok');
  assert.deepEqual(lastLines('a\n\nb\nc\n', 2), ['b', 'c']);
});

test('GIVEN repeated quick crashes WHEN backing off THEN delays double up to the cap and reset after a long run', () => {
  const b = new RestartBackoff({ initialMs: 100, maxMs: 1000, resetAfterMs: 10_000 });
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(() => b.onExit(0, 50)), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(b.onExit(0, 20_000), 100);
});

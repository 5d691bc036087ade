import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOLDER_ARGV, appCommand, appNamespaceArgv, csiAccessModeOf, execInPodArgv } from '../../../src/core/workloads/app-pod.js';

test('command and args follow Kubernetes: command+args, args alone as the command, neither -> holder', () => {
  assert.deepEqual(appCommand({ command: ['bash', '-c'], args: ['ls /data'] }), { kind: 'command', argv: ['bash', '-c', 'ls /data'] });
  assert.deepEqual(appCommand({ command: ['sleep', '1'] }), { kind: 'command', argv: ['sleep', '1'] });
  assert.deepEqual(appCommand({ args: ['ls', '/data'] }), { kind: 'command', argv: ['ls', '/data'] });
  assert.deepEqual(appCommand({}), { kind: 'holder', argv: HOLDER_ARGV });
  assert.deepEqual(appCommand({ command: [], args: [] }), { kind: 'holder', argv: HOLDER_ARGV });
});

test('GIVEN paths with spaces and quotes WHEN the namespace argv is built THEN they are positional parameters, never script text', () => {
  const argv = appNamespaceArgv([{ source: "/h/it's a dir", mountPath: '/data', readOnly: true }, { source: '/h/b', mountPath: '/x y', readOnly: false }], '/w d', ['echo', '$HOME']);
  assert.deepEqual(argv.slice(0, 6), ['unshare', '--mount', '--propagation', 'slave', 'sh', '-c']);
  const script = argv[6] ?? '';
  assert.ok(!script.includes("it's") && !script.includes('/data'));
  assert.deepEqual(argv.slice(7), ['fluid-app', '2', "/h/it's a dir", '/data', 'ro', '/h/b', '/x y', 'rw', '/w d', 'echo', '$HOME']);
  // The script parses its parameters as intended: run it with mount and mkdir stubbed on PATH, in a real directory.
  const dir = mkdtempSync(join(tmpdir(), 'fluid-app-argv-'));
  try {
    const bin = join(dir, 'bin');
    const wd = join(dir, 'w d');
    mkdirSync(bin);
    mkdirSync(wd);
    writeFileSync(join(bin, 'mount'), '#!/bin/sh\necho "mount $*"\n', { mode: 0o755 });
    writeFileSync(join(bin, 'mkdir'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const real = appNamespaceArgv([{ source: "/h/it's a dir", mountPath: '/data', readOnly: true }, { source: '/h/b', mountPath: '/x y', readOnly: false }], wd, ['sh', '-c', 'echo "in $PWD: $1"', 'x', '$HOME']);
    const probe = spawnSync('sh', real.slice(5), { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
    assert.equal(probe.stdout, `mount --bind /h/it's a dir /data\nmount -o remount,bind,ro /data\nmount --bind /h/b /x y\nin ${wd}: $HOME\n`, probe.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec enters the pod mount namespace and its working directory', () => {
  assert.deepEqual(execInPodArgv(42, '/w', ['ls', '/data']), ['nsenter', '--target', '42', '--mount', '--', 'sh', '-c', 'cd "$1"; shift; exec "$@"', 'fluid-exec', '/w', 'ls', '/data']);
});

test('the CSI access mode follows the PV access mode as the kubelet maps it', () => {
  assert.equal(csiAccessModeOf(['ReadOnlyMany']), 3);
  assert.equal(csiAccessModeOf(['ReadWriteMany']), 5);
  assert.equal(csiAccessModeOf(['ReadWriteOnce']), 1);
  assert.equal(csiAccessModeOf(undefined), 1);
});

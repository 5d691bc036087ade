// GIVEN `fluid up` WHEN the official Kubernetes Python client (Debian's python3-kubernetes) runs
// the client-compatibility suite (python/test_client_compat.py: CRUD on ConfigMap and Secret,
// json / merge / strategic patches, watches with and without resourceVersion, limit/continue,
// label and field selectors, Datasets through CustomObjectsApi) THEN every Python test passes.
//
// FLUID_PYTHON_COMPAT_KUBECONFIG=<path> runs the suite against another API server instead.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/proc.js';
import { upCluster } from './harness.js';

// Debian's interpreter, where python3-kubernetes is installed (a python3 earlier on PATH, e.g.
// pyenv's, does not see Debian's dist-packages).
const PYTHON = '/usr/bin/python3';

function run(kubeconfig: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-W', 'ignore::ResourceWarning', '-m', 'unittest', '-v', 'test_client_compat'], {
      cwd: join(repoRoot, 'test/integration/apiserver/python'),
      env: { ...process.env, KUBECONFIG: kubeconfig, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

test('GIVEN fluid up WHEN the official Python client runs the compatibility suite THEN every test passes', async (t) => {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing (scripts/install-deps.sh installs python3-kubernetes)`);
  const external = process.env.FLUID_PYTHON_COMPAT_KUBECONFIG;
  const kubeconfig = external !== undefined && external !== '' ? external : upCluster(t).kubeconfig;
  const r = await run(kubeconfig);
  assert.equal(r.code, 0, `the Python client suite failed:\n${r.output}`);
  assert.match(r.output, /Ran \d+ tests/);
  assert.doesNotMatch(r.output, /\(skipped|FAILED|ERROR/);
});

// The README's first command, `bash scripts/quickstart.sh`, as a newcomer runs it: HOME is a fresh
// directory of mode 0700 (root's default) and FLUID_HOME is unset, so the home is HOME/.fluid.
// nginx's workers run as `nobody`; a fixture under that home would be answered with 403.
// A second case serves the fixture from under a 0700 directory on purpose: the runtime reports
// UFSUnreachable (HTTP 403) and the script must stop on that report with the condition's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cleanup, repoRoot, runFluid, unmountQuietly } from '../../support/proc.js';

interface Quickstart {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A HOME of mode 0700 and a fixture directory; cleanup stops fluid and nginx, then removes both. */
function newcomer(t: Cleanup, dataParentMode: number): { home: string; data: string; run(): Quickstart } {
  const home = mkdtempSync(join(tmpdir(), 'fluid-qs-home-'));
  chmodSync(home, 0o700);
  const parent = mkdtempSync(join(tmpdir(), 'fluid-qs-data-'));
  chmodSync(parent, dataParentMode);
  const data = join(parent, 'quickstart');
  mkdirSync(data);
  const fluidHome = join(home, '.fluid');
  t.after(() => {
    runFluid(['down', '--home', fluidHome], { timeoutMs: 120_000 });
    const pidFile = join(fluidHome, 'quickstart', 'nginx', 'nginx.pid');
    if (existsSync(pidFile)) {
      try { process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM'); } catch { /* already gone */ }
    }
    for (const line of spawnSync('sh', ['-c', `grep -F ' ${home}/' /proc/self/mounts | cut -d' ' -f2`], { encoding: 'utf8' }).stdout.split('\n')) {
      if (line) unmountQuietly(line);
    }
    rmSync(home, { recursive: true, force: true });
    rmSync(parent, { recursive: true, force: true });
  });
  return {
    home,
    data,
    run() {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, QUICKSTART_MB: '16', QUICKSTART_DATA: data };
      delete env['FLUID_HOME'];
      delete env['KUBECONFIG'];
      const r = spawnSync('bash', ['scripts/quickstart.sh', '--no-install'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 420_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

test('quickstart with the default home under a 0700 HOME: Bound, then a cold and a warm copy through the mount', { timeout: 480_000 }, (t) => {
  const qs = newcomer(t, 0o755);
  const r = qs.run();
  assert.equal(r.code, 0, `quickstart failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /fluid up \(home .*\/\.fluid\)/);
  assert.match(r.stdout, /^hbase\s+\S+\s+\S+\s+\S+\s+\S+\s+Bound\s/m);
  assert.match(r.stdout, /cp -r of \d+ MiB through the FUSE mount: cold [\d.]+ s \(from nginx\), warm [\d.]+ s \(from the cache\)/);
});

test('quickstart stops on the runtime reporting UFSUnreachable (nginx answers 403) and prints the condition', { timeout: 480_000 }, (t) => {
  const qs = newcomer(t, 0o700);
  const r = qs.run();
  assert.notEqual(r.code, 0, `quickstart should have failed:\n${r.stdout}`);
  assert.match(r.stderr, /alluxioruntime hbase reports a failure: UFSUnreachable: .*403/);
  assert.match(r.stderr, /QUICKSTART_DATA/);
  assert.doesNotMatch(r.stderr, /is not Bound/, 'the script waited for its whole timeout instead of stopping on the report');
});

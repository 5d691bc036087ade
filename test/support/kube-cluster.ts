// scripts/kube-cluster.sh for integration tests: `up` a cluster in a fresh temp DIR, `down` it
// after the test (also on failure), so no netns, link, mount or process outlives the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, type Cleanup } from './proc.js';

export interface ScriptResult { readonly code: number; readonly stdout: string; readonly stderr: string }

export function kubeClusterScript(args: string[], timeoutMs = 3_600_000): ScriptResult {
  const r = spawnSync('bash', [join(repoRoot, 'scripts/kube-cluster.sh'), ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface KubeCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  /** `down` now (its result), instead of after the test. */
  down(): ScriptResult;
}

/** `kube-cluster.sh up --dir <temp> --nodes N`; asserts it succeeded. After the test: down, then the DIR is removed. */
export function upKubeCluster(t: Cleanup, prefix: string, nodes: number): KubeCluster {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let up = true;
  const down = (): ScriptResult => { up = false; return kubeClusterScript(['down', '--dir', dir], 120_000); };
  t.after(() => {
    if (up) down();
    rmSync(dir, { recursive: true, force: true });
  });
  const r = kubeClusterScript(['up', '--dir', dir, '--nodes', String(nodes)]);
  assert.equal(r.code, 0, `kube-cluster up failed:\n${r.stderr.slice(-4000)}`);
  return { dir, kubeconfig: join(dir, 'kubeconfig'), down };
}

// scripts/kube-cluster.sh for tests: runs the script, and brings a cluster up in a temp dir that is
// taken down (then removed) at test end, pass or fail, with the real kubectl pointed at it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { type Cleanup, repoRoot } from '../../support/proc.js';

export function kubeClusterScript(args: string[], timeoutMs = 3_600_000): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', [join(repoRoot, 'scripts/kube-cluster.sh'), ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface KubeCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  /** The real kubectl against the cluster; asserts it succeeded and returns stdout. */
  kubectl(args: string[], input?: string): string;
}

/** `kube-cluster.sh up --nodes N` in a fresh dir; one cleanup: `down` (unless the test did), then the dir goes. */
export function upKubeCluster(t: Cleanup, nodes: number, prefix = 'fluid-kube-'): KubeCluster {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => {
    kubeClusterScript(['down', '--dir', dir], 120_000);
    rmSync(dir, { recursive: true, force: true });
  });
  const up = kubeClusterScript(['up', '--dir', dir, '--nodes', String(nodes)]);
  assert.equal(up.code, 0, `kube-cluster up failed:\n${up.stderr.slice(-4000)}`);
  const kubeconfig = join(dir, 'kubeconfig');
  return {
    dir,
    kubeconfig,
    kubectl(args, input) {
      const r = spawnSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 60_000, input });
      assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
  };
}

// One real cluster (scripts/kube-cluster.sh up) for the seed tests of a file, torn down when the
// file's tests end, also on failure. kubectl, fluid and kill-node against it; pods and nodes as JSON.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEntry, repoRoot, waitFor, type Cleanup } from '../../support/proc.js';
import { table } from '../orchestration/harness.js';

export interface ClusterPod {
  readonly metadata: { readonly name: string; readonly uid?: string; readonly labels?: Record<string, string> };
  readonly spec: { readonly nodeName?: string };
  readonly status?: { readonly phase?: string; readonly hostIP?: string; readonly conditions?: { type: string; status: string }[] };
}

export interface Cluster {
  readonly dir: string;
  readonly kubeconfig: string;
  /** The address node hosts reach the host at (a test's nginx listens there). */
  readonly hostAddress: string;
  kubectl(args: string[], input?: string): string;
  json<T>(args: string[]): T;
  fluid(args: string[]): { code: number; stdout: string; stderr: string };
  killNode(name: string): void;
  /** Pods of namespace `default` whose name starts with `prefix`. */
  pods(prefix: string): ClusterPod[];
  nodeAddress(name: string): string;
  nodeReady(name: string): boolean;
  table(args: string[]): Record<string, string>[];
}

function script(args: string[], timeoutMs: number): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', [join(repoRoot, 'scripts/kube-cluster.sh'), ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const isReady = (p: ClusterPod): boolean => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Brings a cluster of `nodes` node hosts up in `dir`; `down` runs when `t` ends. */
export function upCluster(t: Cleanup, dir: string, nodes: number): Cluster {
  t.after(() => { script(['down', '--dir', dir], 180_000); });
  const up = script(['up', '--dir', dir, '--nodes', String(nodes)], 3_600_000);
  assert.equal(up.code, 0, `kube-cluster up failed:\n${up.stderr.slice(-4000)}`);
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectl = (args: string[], input?: string): string => {
    const r = spawnSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 60_000, ...(input !== undefined ? { input } : {}) });
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const json = <T>(args: string[]): T => JSON.parse(kubectl([...args, '-o', 'json'])) as T;
  const node = (name: string): { status?: { addresses?: { type: string; address: string }[]; conditions?: { type: string; status: string }[] } } => json(['get', 'node', name]);
  return {
    dir, kubeconfig, hostAddress: readFileSync(join(dir, 'host-address'), 'utf8').trim(),
    kubectl, json,
    fluid(args) {
      const r = spawnSync(process.execPath, [cliEntry, ...args], { encoding: 'utf8', timeout: 60_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    killNode(name) {
      const r = script(['kill-node', '--dir', dir, name], 60_000);
      assert.equal(r.code, 0, r.stderr);
    },
    pods(prefix) {
      return json<{ items: ClusterPod[] }>(['get', 'pods']).items.filter((p) => p.metadata.name.startsWith(prefix));
    },
    nodeAddress(name) {
      const a = node(name).status?.addresses?.find((x) => x.type === 'InternalIP')?.address;
      assert.ok(a, `${name} has an InternalIP`);
      return a;
    },
    nodeReady(name) {
      return node(name).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    },
    table(args) {
      return table(kubectl(args));
    },
  };
}

/** Waits until `count` pods named `<prefix>...` are Running and Ready; returns them. */
export async function readyPods(c: Cluster, prefix: string, count: number, timeoutMs = 240_000): Promise<ClusterPod[]> {
  let last: ClusterPod[] = [];
  try {
    return await waitFor(`${count} Ready pods ${prefix}*`, () => {
      last = c.pods(prefix);
      const ready = last.filter(isReady);
      return ready.length === count ? ready : undefined;
    }, timeoutMs, 1_000);
  } catch (err) {
    const why = last.map((p) => `${p.metadata.name}@${p.spec.nodeName ?? '-'}: ${p.status?.phase ?? '?'} ${JSON.stringify(p.status?.conditions?.find((x) => x.type === 'Ready') ?? {})}`).join('; ');
    throw new Error(`${err instanceof Error ? err.message : String(err)}; pods: ${why}`);
  }
}

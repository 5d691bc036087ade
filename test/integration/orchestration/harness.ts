// Harness for orchestration tests: a control plane (`fluid up --home <tmp>`) with the real
// kubectl pointed at it, hbase-shaped fixtures for nginx, and polling helpers. Cleanup stops
// the control plane (`fluid down`), lazily unmounts anything left under the home, and removes
// the /dev/shm cache root of that home.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { EngineCredential } from '../../../src/adapters/rpc/engine-credential.js';
import { type Cleanup, runFluid, sha256File, tempDir, unmountQuietly, waitFor } from '../../support/proc.js';
import { type Nginx, startNginx, writeRandomFile } from '../../support/servers.js';

export interface ControlPlane {
  readonly home: string;
  readonly kubeconfig: string;
  kubectl(args: string[], input?: string): { code: number; stdout: string; stderr: string };
  /** kubectl that must succeed; returns stdout. */
  k(args: string[], input?: string): string;
  json<T = Record<string, unknown>>(args: string[]): T | undefined;
  fluid(args: string[]): { code: number; stdout: string; stderr: string };
  up(): void;
  down(): void;
}

export function startControlPlane(t: Cleanup): ControlPlane {
  // One cleanup, in order: stop the control plane, unmount leftovers, then remove the home.
  const home = mkdtempSync(join(tmpdir(), 'fluid-orch-'));
  const kubeconfig = join(home, 'kubeconfig');
  const kubectl = (args: string[], input?: string): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const cp: ControlPlane = {
    home,
    kubeconfig,
    kubectl,
    k(args, input) {
      const r = kubectl(args, input);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    json<T>(args: string[]): T | undefined {
      const r = kubectl([...args, '-o', 'json']);
      return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
    },
    fluid: (args) => runFluid([...args, '--home', home], { timeoutMs: 120_000 }),
    up() {
      const r = runFluid(['up', '--home', home], { timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`fluid up failed: ${r.stderr}`);
    },
    down() {
      const r = runFluid(['down', '--home', home], { timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`fluid down failed: ${r.stderr}`);
    },
  };
  t.after(() => {
    runFluid(['down', '--home', home], { timeoutMs: 120_000 });
    for (const line of spawnSync('sh', ['-c', `grep -F ' ${home}/' /proc/self/mounts | cut -d' ' -f2`], { encoding: 'utf8' }).stdout.split('\n')) {
      if (line) unmountQuietly(line);
    }
    rmSync(`/dev/shm/fluid-${createHash('sha256').update(home).digest('hex').slice(0, 8)}`, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });
  cp.up();
  return cp;
}

/** An AlluxioRuntime with `replicas` workers and one MEM tier (a YAML document starting with ---). */
/** `medium`: MEM tiers live in /dev/shm and are freed by fluid down; SSD tiers (under HOME/cache) persist. */
export function runtimeYaml(name: string, replicas = 1, medium: 'MEM' | 'SSD' = 'MEM', quota = '64Mi'): string {
  return `
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  tieredstore:
    levels:
      - mediumtype: ${medium}
        path: ${medium === 'MEM' ? '/dev/shm' : '/mnt/ssd'}
        quota: ${quota}
`;
}

/** A Dataset with one mount, and an AlluxioRuntime of one worker with a MEM tier of `quota` (`spec` lines are added under spec:). */
export function datasetWithRuntimeYaml(name: string, mountPoint: string, opts: { quota?: string; mountName?: string; runtimeSpec?: string } = {}): string {
  return `
---
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: ${name}
spec:
  mounts:
    - mountPoint: ${mountPoint}
      name: ${opts.mountName ?? 'hbase'}
---
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: ${name}
spec:
  replicas: 1
${opts.runtimeSpec ?? ''}  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: ${opts.quota ?? '256Mi'}
`;
}

/** The runtime's engine credential, read from its Secret <name>-engine-token through kubectl. */
export function runtimeCredential(cp: ControlPlane, name: string, namespace = 'default'): EngineCredential {
  const s = cp.json<{ data?: Record<string, string> }>(['get', 'secret', `${name}-engine-token`, '-n', namespace]);
  const b64 = s?.data?.['token'];
  if (!b64) throw new Error(`Secret ${namespace}/${name}-engine-token has no token`);
  return EngineCredential.of(Buffer.from(b64, 'base64').toString('utf8'));
}

/** Files shaped like the hbase stable/ directory of seed 001 (small scale). Returns relative path -> sha256. */
export async function hbaseFixture(root: string): Promise<Map<string, string>> {
  const dir = join(root, 'hbase');
  mkdirSync(join(dir, 'api_compare'), { recursive: true });
  writeRandomFile(join(dir, 'hbase-2.5.10-bin.tar.gz'), 3 * 1024 * 1024 + 123, 1);
  writeRandomFile(join(dir, 'hbase-2.5.10-client-bin.tar.gz'), 2 * 1024 * 1024 + 7, 2);
  writeRandomFile(join(dir, 'hbase-2.5.10-src.tar.gz'), 1024 * 1024 + 99, 3);
  writeFileSync(join(dir, 'hbase-2.5.10-bin.tar.gz.asc'), '-----BEGIN PGP SIGNATURE-----\nfixture\n-----END PGP SIGNATURE-----\n');
  writeFileSync(join(dir, 'hbase-2.5.10-bin.tar.gz.sha512'), 'hbase-2.5.10-bin.tar.gz: 00 11 22\n');
  writeFileSync(join(dir, 'CHANGES.md'), '# HBASE Changelog\n'.repeat(200));
  writeFileSync(join(dir, 'RELEASENOTES.md'), '# RELEASENOTES\n'.repeat(100));
  writeFileSync(join(dir, 'api_compare', '2.5.9_2.5.10RC0.html'), '<html>compat</html>\n');
  return shaTree(dir);
}

/**
 * The WebUFS every end-to-end test reads: the hbase fixture in a temp dir that nginx's unprivileged
 * workers can read (mode 0755), served by a real nginx on loopback. `files`: relative path -> sha256.
 */
export async function serveHbase(t: Cleanup): Promise<{ www: string; files: Map<string, string>; nginx: Nginx }> {
  const www = tempDir(t, 'fluid-www-');
  chmodSync(www, 0o755);
  const files = await hbaseFixture(www);
  const nginx = await startNginx(t, www);
  return { www, files, nginx };
}

/** Relative path -> sha256 of every file under `dir`. */
export async function shaTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) await walk(p);
      else out.set(relative(dir, p), await sha256File(p));
    }
  };
  await walk(dir);
  return out;
}

export function totalSize(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const s = statSync(p);
    n += s.isDirectory() ? totalSize(p) : s.size;
  }
  return n;
}

type Obj = { status?: Record<string, unknown>; metadata?: Record<string, unknown> };

/** Polls `kubectl get <what> -o json` until `pred` holds; returns the object. */
export async function waitObj(cp: ControlPlane, what: string[], pred: (o: Obj) => boolean, desc: string, timeoutMs = 120_000): Promise<Obj> {
  let last: Obj | undefined;
  try {
    return await waitFor(desc, () => {
      const o = cp.json<Obj>(['get', ...what]);
      last = o;
      return o && pred(o) ? o : undefined;
    }, timeoutMs, 500);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; last status: ${JSON.stringify(last?.status ?? null)}`);
  }
}

export interface PodView { name: string; ready: boolean; phase: string; restarts: number; annotations: Record<string, string>; message: string }

export function pods(cp: ControlPlane): PodView[] {
  const list = cp.json<{ items: { metadata: { name: string; annotations?: Record<string, string> }; status?: { phase?: string; message?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount: number }[] } }[] }>(['get', 'pods']);
  return (list?.items ?? []).map((p) => ({
    name: p.metadata.name,
    ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    phase: p.status?.phase ?? '',
    restarts: p.status?.containerStatuses?.[0]?.restartCount ?? 0,
    annotations: p.metadata.annotations ?? {},
    message: p.status?.message ?? '',
  }));
}

/** The condition of `type` in an object's status. */
export function condition(o: Obj | undefined, type: string): { status: string; reason: string; message: string } | undefined {
  const list = (o?.status?.['conditions'] ?? []) as { type: string; status: string; reason: string; message: string }[];
  return list.find((c) => c.type === type);
}

/** Parses kubectl's table output into rows keyed by header (columns located by header offsets). */
export function table(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  const cols: { name: string; start: number }[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) cols.push({ name: m[0], start: m.index });
  return lines.slice(1).map((line) => Object.fromEntries(cols.map((c, i) => {
    const end = cols[i + 1]?.start ?? line.length;
    return [c.name, line.slice(c.start, end).trim()];
  })));
}

/**
 * Seed 000's Dataset (WebUFS at `ufsUrl`, `path: /`) and JindoRuntime whose master meta dir is the
 * PVC demo-jindo-master-meta, as the seed writes them (the PVC itself differs per environment).
 */
export function seed000DatasetAndRuntime(ufsUrl: string): string {
  return `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: demo
spec:
  mounts:
    - mountPoint: ${ufsUrl}
      name: demo
      path: /
---
apiVersion: data.fluid.io/v1alpha1
kind: JindoRuntime
metadata:
  name: demo
spec:
  replicas: 2
  volumes:
    - name: meta-vol
      persistentVolumeClaim:
        claimName: demo-jindo-master-meta
  master:
    volumeMounts:
      - name: meta-vol
        mountPath: /root/jindofsx-meta
    properties:
      namespace.meta-dir: "/root/jindofsx-meta"
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        volumeType: emptyDir
        quota: 12Gi
        high: "0.99"
        low: "0.99"
`;
}

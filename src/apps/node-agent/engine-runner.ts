// Runs pods whose image is this project's engine (fluid-ts/engine): `fluid engine master|worker|
// fuse --config FILE` as `node <cli entry> engine ...`. Readiness is GET /healthz on the
// host:port named in the (materialised) engine config; the address is published on the pod as
// fluid.io/engine-address. A fuse config's mountPath is lazily unmounted after the process
// exits, so a crashed FUSE never leaves a dead mount behind.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ENGINE_ADDRESS_ANNOTATION, ENGINE_IMAGE } from '../../core/workloads/names.js';
import type { Container, Pod } from '../../core/workloads/kube-object.js';
import { expandVars, toHostPath } from '../../core/workloads/path-map.js';
import { PodPrepareError, type PodEnvironment, type PodRunner, type PreparedContainer } from './pod-runner.js';
import { materializeVolumes } from './volumes.js';

/** Container env with downward-API fieldRefs resolved. Values never include Secrets (those are files). */
export function containerEnv(pod: Pod, container: Container, nodeName: string, address: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = expandVars(e.value, env);
    const fp = e.valueFrom?.fieldRef?.fieldPath;
    if (fp === 'metadata.name') env[e.name] = pod.metadata.name;
    else if (fp === 'metadata.namespace') env[e.name] = pod.metadata.namespace ?? 'default';
    else if (fp === 'spec.nodeName') env[e.name] = nodeName;
    else if (fp === 'status.podIP' || fp === 'status.hostIP') env[e.name] = address;
  }
  return env;
}

export const engineRunner: PodRunner = {
  name: 'engine',
  claims: (pod) => pod.spec.containers.length === 1 && (pod.spec.containers[0]?.image ?? '').split(':')[0] === ENGINE_IMAGE,
  async prepare(pod: Pod, penv: PodEnvironment): Promise<PreparedContainer> {
    const container = pod.spec.containers[0];
    if (!container) throw new PodPrepareError('NoContainer', 'pod has no container');
    const cmd = container.command ?? [];
    if (cmd.length !== 1 || cmd[0] !== 'fluid') throw new PodPrepareError('UnsupportedCommand', `engine containers run the "fluid" command, got ${JSON.stringify(cmd)}`);
    const env = containerEnv(pod, container, penv.nodeName, penv.address);
    const volumes = await materializeVolumes(penv.client, penv.home, penv.podDir, pod, container, penv.hostRoot);
    const mappings = volumes.mappings;
    const args = (container.args ?? []).map((a) => {
      const x = expandVars(a, env);
      return x.startsWith('/') ? toHostPath(mappings, x) : x;
    });
    const ci = args.indexOf('--config');
    const configPath = ci >= 0 ? args[ci + 1] : undefined;
    if (!configPath) throw new PodPrepareError('NoConfig', 'engine container args lack --config FILE');
    let cfg: { host?: string; port?: number; mountPath?: string; tiers?: { paths?: string[] }[]; stateDirs?: string[] };
    try {
      cfg = JSON.parse(readFileSync(configPath, 'utf8')) as typeof cfg;
    } catch (err) {
      throw new PodPrepareError('BadConfig', `cannot read engine config ${configPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // `--host` (the node's address, see engine-config overrides) wins over the file's host.
    const hi = args.indexOf('--host');
    const host = (hi >= 0 ? args[hi + 1] : undefined) ?? cfg.host ?? '127.0.0.1';
    const address = `${host.includes(':') ? `[${host}]` : host}:${cfg.port ?? 0}`;
    const unmount = (): void => {
      if (cfg.mountPath) spawnSync('fusermount3', ['-u', '-z', cfg.mountPath], { stdio: 'ignore' });
    };
    unmount();
    return {
      container: container.name,
      image: container.image,
      command: process.execPath,
      args: ['--enable-source-maps', penv.cliEntry, ...args],
      env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...env },
      cwd: penv.podDir,
      annotations: { [ENGINE_ADDRESS_ANNOTATION]: address },
      async ready(signal: AbortSignal): Promise<{ ready: boolean; message: string }> {
        // One controller per probe, unhooked from `signal` afterwards: AbortSignal.any on Node 20
        // leaves a listener on the long-lived probing signal per call (MaxListenersExceededWarning).
        const probe = new AbortController();
        const onAbort = (): void => probe.abort(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(() => probe.abort(new Error('health check timed out after 2s')), 2_000);
        try {
          const res = await fetch(`http://${address}/healthz`, { signal: probe.signal });
          const body = (await res.text()).trim().slice(0, 500);
          return { ready: res.ok, message: res.ok ? '' : `health check ${res.status}: ${body}` };
        } catch (err) {
          return { ready: false, message: `health check failed: ${err instanceof Error ? err.message : String(err)}` };
        } finally {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        }
      },
      afterExit: unmount,
      refresh: () => volumes.refresh(),
      teardown(): void {
        // The worker's tier dirs and other declared cache dirs (stateDirs), and the FUSE mount point,
        // then their parents while empty, up to the hostPath volume that holds them (created for the
        // runtime by DirectoryOrCreate). The mount point is only ever rmdir'ed: if an unmount failed,
        // a recursive remove would delete the data behind a live (possibly writable) mount.
        const rootOf = (dir: string): string | undefined =>
          mappings.find((m) => dir === m.hostDir || dir.startsWith(`${m.hostDir.replace(/\/+$/, '')}/`))?.hostDir;
        for (const dir of [...(cfg.tiers ?? []).flatMap((t) => t.paths ?? []), ...(cfg.stateDirs ?? [])]) {
          const root = rootOf(dir);
          if (!root) continue;
          rmSync(dir, { recursive: true, force: true });
          removeEmptyParents(dirname(dir), root);
        }
        const mnt = cfg.mountPath;
        const mntRoot = mnt ? rootOf(mnt) : undefined;
        if (mnt && mntRoot) removeEmptyParents(mnt, mntRoot);
      },
    };
  },
};

/** rmdir `dir` and its parents while they are empty, never above `root` (root itself included). */
function removeEmptyParents(dir: string, root: string): void {
  const top = root.replace(/\/+$/, '');
  for (let d = dir; d === top || d.startsWith(`${top}/`); d = dirname(d)) {
    try {
      if (readdirSync(d).length > 0) return;
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}

// Node-agent pod runner for ThinRuntime fuse pods (container "thin-fuse", created by the
// ThinRuntime engine's DaemonSet). Embedded mode: the image is not pulled; the container's
// command runs locally under `fluid thin-fuse` (see src/adapters/thin). prepare():
//   ConfigMap config.json + thin-client.json  -> <podDir>/thin/config/config.json
//   each referenced Secret key                -> <podDir>/thin/secrets/<secret>/<key> (0600)
//   launch spec                               -> <podDir>/thin/launch.json (0600)
// ready(): the launcher's status file says the target is mounted with the profile's fsType.
// Each new launcher status is also written to the ThinRuntime as condition "FuseReady" (reason
// Mounted | ClientExited | MountTimeout | DeadMount | ..., message quoting the client's last
// output lines with secrets masked). afterExit(): kills a client the launcher left behind (it
// was SIGKILLed) and lazily unmounts the target. teardown() (the runtime is being deleted) removes
// the target directory.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { R } from '../../../adapters/kube/resources.js';
import { pidAlive } from '../../../adapters/process/pid.js';
import { writeClientFiles, type SecretValue } from '../../../adapters/thin/client-files.js';
import type { ConfigMapLike, Condition, KubeObject, Pod } from '../../../core/workloads/kube-object.js';
import { arr, rec } from '../../../core/reconcile/spec-view.js';
import { THIN_CLIENT_KEY, THIN_CONFIG_KEY, THIN_CONFIG_VOLUME, THIN_FUSE_CONTAINER, type ThinClientMeta } from '../../../core/thin/thin-engine.js';
import { containerEnv } from '../../node-agent/engine-runner.js';
import { PodPrepareError, type PodEnvironment, type PodRunner, type PreparedContainer } from '../../node-agent/pod-runner.js';
import { setCondition } from '../conditions.js';
import { mapJsonPaths, nodeHostPath } from '../../../core/workloads/path-map.js';
import { shmRootOf } from '../../controlplane/home.js';
import type { ThinLaunchSpec, ThinStatusFile } from './thin-launch-spec.js';

function readStatus(file: string): ThinStatusFile | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ThinStatusFile;
  } catch {
    return undefined;
  }
}

export const thinFuseRunner: PodRunner = {
  name: 'thin-fuse',
  claims: (pod) => pod.spec.containers.length === 1 && pod.spec.containers[0]?.name === THIN_FUSE_CONTAINER,
  async prepare(pod: Pod, penv: PodEnvironment): Promise<PreparedContainer> {
    const container = pod.spec.containers[0];
    if (!container) throw new PodPrepareError('NoContainer', 'pod has no container');
    const ns = pod.metadata.namespace ?? 'default';
    const release = pod.metadata.labels?.['release'];
    const cmName = (pod.spec.volumes ?? []).find((v) => v.name === THIN_CONFIG_VOLUME)?.configMap?.name;
    if (!cmName) throw new PodPrepareError('NoConfig', `thin-fuse pod has no "${THIN_CONFIG_VOLUME}" configMap volume`);
    const cm = await penv.client.get<ConfigMapLike>(R.configMap, ns, cmName);
    const json = cm?.data?.[THIN_CONFIG_KEY];
    const metaText = cm?.data?.[THIN_CLIENT_KEY];
    if (json === undefined || metaText === undefined) throw new PodPrepareError('ConfigMapNotFound', `ConfigMap "${cmName}" with ${THIN_CONFIG_KEY} and ${THIN_CLIENT_KEY} not found in namespace "${ns}"`);
    const planned = JSON.parse(metaText) as ThinClientMeta;
    // The target is a host path: on a node host whose hostPaths live under its own root, it is
    // mapped there (in the client's config.json too), so two nodes never mount on one directory.
    const targetPath = nodeHostPath(planned.targetPath, penv.hostRoot, shmRootOf(penv.home));
    const meta: ThinClientMeta = { ...planned, targetPath };
    const configJson = targetPath === planned.targetPath ? json : JSON.stringify(mapJsonPaths(JSON.parse(json), [{ mountPath: planned.targetPath, hostDir: targetPath }]), null, 2);

    const secrets: SecretValue[] = [];
    const cache = new Map<string, Record<string, string> | undefined>();
    for (const ref of meta.secretFiles) {
      if (!cache.has(ref.secretName)) {
        const s = await penv.client.get<KubeObject & { data?: Record<string, string> }>(R.secret, ns, ref.secretName);
        cache.set(ref.secretName, s ? (s.data ?? {}) : undefined);
      }
      const data = cache.get(ref.secretName);
      if (!data) throw new PodPrepareError('SecretNotFound', `Secret "${ref.secretName}" not found in namespace "${ns}"`);
      const b64 = data[ref.key];
      if (b64 === undefined) throw new PodPrepareError('SecretKeyNotFound', `Secret "${ref.secretName}" has no key "${ref.key}"`);
      secrets.push({ ref, value: Buffer.from(b64, 'base64').toString('utf8') });
    }
    const filesDir = join(penv.podDir, 'thin');
    const layout = writeClientFiles(filesDir, configJson, secrets);
    const env = containerEnv(pod, container, penv.nodeName, penv.address);
    const statusFile = join(filesDir, 'status.json');
    const spec: ThinLaunchSpec = {
      plan: { argv: [...(container.command ?? []), ...(container.args ?? [])], env, fileSystemType: meta.fileSystemType, targetPath: meta.targetPath, image: container.image },
      filesDir,
      secretFiles: meta.secretFiles.map((s) => join(layout.secretsDir, s.secretName, s.key)),
      statusFile,
    };
    if (spec.plan.argv.length === 0) throw new PodPrepareError('NoCommand', 'the ThinRuntimeProfile gives no fuse.command: embedded mode runs the command locally (images are not pulled)');
    const specFile = join(filesDir, 'launch.json');
    writeFileSync(specFile, JSON.stringify(spec), { mode: 0o600 });
    chmodSync(specFile, 0o600);
    rmSync(statusFile, { force: true });

    // Compared with the runtime's current condition on every probe (not a local cache): the
    // runtime controller rewrites the conditions array from its own view and may drop ours.
    const reportCondition = async (s: ThinStatusFile): Promise<void> => {
      if (!release) return;
      const tail = s.lastOutput.length > 0 ? `; last output: ${s.lastOutput.join(' | ')}` : '';
      const cond: Condition = { type: 'FuseReady', status: s.ready ? 'True' : 'False', reason: s.reason, message: `${s.message}${tail}` };
      const rt = await penv.client.get<KubeObject & { status?: Record<string, unknown> }>(R.thinRuntime, ns, release);
      if (!rt || rt.metadata.deletionTimestamp) return;
      const current = arr(rec(rt.status)?.['conditions']) as Condition[];
      const old = current.find((c) => c.type === cond.type);
      if (old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message) return;
      await penv.client.patch(R.thinRuntime, ns, release, { status: { conditions: setCondition(current, cond) } }, { status: true });
    };

    return {
      container: container.name,
      image: container.image,
      command: process.execPath,
      args: ['--enable-source-maps', penv.cliEntry, 'thin-fuse', '--spec', specFile],
      env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root' },
      cwd: penv.podDir,
      annotations: {},
      async ready(): Promise<boolean> {
        const s = readStatus(statusFile);
        if (!s) return false;
        try {
          await reportCondition(s);
        } catch {
          // The condition is informative; readiness does not depend on writing it.
        }
        return s.ready;
      },
      afterExit(): void {
        // `fluid thin-fuse` stops its client on SIGTERM; after a SIGKILL the client (its own
        // process group) may still run: stop it, then detach the mount it leaves.
        const s = readStatus(statusFile);
        const launcherGone = s?.launcherPid === undefined || !pidAlive(s.launcherPid);
        if (s?.pid !== undefined && launcherGone && pidAlive(s.pid)) {
          try { process.kill(-s.pid, 'SIGKILL'); } catch { /* already gone */ }
        }
        spawnSync('fusermount', ['-u', '-z', meta.targetPath], { stdio: 'ignore' });
        // The launcher's shared bind mount of the target's parent (a self bind: removable).
        if (launcherGone) spawnSync('umount', ['-l', dirname(meta.targetPath)], { stdio: 'ignore' });
      },
      teardown(): void {
        // The runtime is being deleted: the (unmounted) target directory goes with it.
        rmSync(meta.targetPath, { recursive: true, force: true });
      },
    };
  },
};

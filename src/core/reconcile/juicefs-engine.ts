// JuiceFSRuntime -> the real JuiceFS community client, following Fluid's JuiceFS runtime (CE):
// no master; N worker pods and one FUSE pod, each running `fluid engine juicefs --config FILE`, which
// formats the file system when it does not exist yet (never reformats one that does), then runs
// `juicefs mount` in the foreground and stays the process that serves the mount.
//   Dataset spec.mounts[0]: mountPoint juicefs:///<subdir>, name = the file system's name,
//     options.storage / options.bucket (+ other format or mount flags), encryptOptions metaurl
//     (required), access-key, secret-key: each a Secret key, handed to the pod as a 0600 file.
//   tieredstore.levels[0]: path (several separated by ":" or ",") -> --cache-dir on the tier
//     directories, quota (plain numbers are MiB) -> --cache-size in MiB, low -> --free-space-ratio.
//   The FUSE mounts at the PV's fluid_path, read-only when the Dataset is (accessModes
//   ReadOnlyMany, Fluid's default), then with Fluid's attr-cache/entry-cache of 7200 s.
// Pure: ports and the host layout come in.
import type { JuiceFSConfig } from '../../api/juicefs-config.js';
import { parseQuantity } from '../../api/quantity.js';
import type { Container, Volume, VolumeMount } from '../workloads/kube-object.js';
import { CONFIG_MOUNT, ENGINE_IMAGE, FUSE_CONFIG_KEY, MOUNTS_HASH_ANNOTATION, SECRETS_MOUNT, configKey, configMapName, workerName } from '../workloads/names.js';
import type { EnginePlan, PlanInput, PlanResult, RoleTemplate, RuntimeEngine, SecretRef } from './runtime-engine.js';
import { arr, num, rec, str, strMap, unknownKeys } from './spec-view.js';
import { fnv1a32 } from './cache-engine.js';

export const JUICEFS_KIND = 'JuiceFSRuntime';
/** PV volumeAttributes.mount_type of a JuiceFS dataset (Fluid's). */
export const JUICEFS_MOUNT_TYPE = 'JuiceFS';
/** Fluid's read-only attr/entry cache timeouts for the FUSE client, in seconds. */
export const READ_ONLY_CACHE_SECONDS = '7200';

const SPEC_KEYS = ['replicas', 'tieredstore', 'fuse', 'worker', 'configs', 'juicefsVersion'];
const ROLE_KEYS = ['options'];
const LEVEL_KEYS = ['mediumtype', 'path', 'quota', 'low', 'volumeType'];
/** Dataset options that are settings of the volume (`juicefs format` flags); the others are mount flags. */
const FORMAT_KEYS = new Set(['block-size', 'compress', 'shards', 'storage-class', 'trash-days', 'hash-prefix', 'capacity', 'inodes', 'enable-acl', 'encrypt-algo']);
const ENCRYPT_KEYS = ['metaurl', 'access-key', 'secret-key'];
/** JuiceFS volume names: 3-63 of [a-z0-9-], starting and ending with a letter or digit. */
const FS_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

class PlanError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export const juicefsEngine: RuntimeEngine = {
  kind: JUICEFS_KIND,
  counts: (spec) => ({ master: 0, worker: workerCount(spec) }),
  plan(input: PlanInput): PlanResult {
    try {
      return { ok: true, plan: render(input) };
    } catch (err) {
      if (err instanceof PlanError) return { ok: false, reason: err.reason, message: err.message };
      throw err;
    }
  },
};

function workerCount(spec: Readonly<Record<string, unknown>>): number {
  return Math.max(0, Math.floor(num(spec['replicas']) ?? 1));
}

/** "juicefs:///demo" -> "/demo"; "juicefs://" or "juicefs:///" -> "/". */
export function juicefsSubdir(mountPoint: string): string | undefined {
  if (!mountPoint.startsWith('juicefs://')) return undefined;
  const rest = mountPoint.slice('juicefs://'.length).replace(/\/+$/, '');
  if (rest === '') return '/';
  return rest.startsWith('/') ? rest : undefined;
}

interface Tier { readonly dirs: string[]; readonly bases: string[]; readonly cacheSizeMiB?: number; readonly low?: string }

function renderTier(input: PlanInput, unsupported: string[]): Tier {
  const { spec, layout, namespace, name } = input;
  const levels = arr(rec(spec['tieredstore'])?.['levels']);
  const fallback = `${layout.hostRoot}/cache/${namespace}/${name}`;
  if (levels.length === 0) return { dirs: [`${fallback}/juicefs`], bases: [fallback] };
  if (levels.length > 1) unsupported.push('spec.tieredstore.levels[1..] (JuiceFS caches in several paths of one level, not in several levels: only levels[0] is used)');
  const level = rec(levels[0]) ?? {};
  const field = 'spec.tieredstore.levels[0]';
  unsupported.push(...unknownKeys(level, LEVEL_KEYS, field));
  const medium = str(level['mediumtype']);
  const paths = (str(level['path']) ?? '').split(/[:,]/).map((p) => p.trim()).filter((p) => p !== '');
  if (paths.length === 0) throw new PlanError('InvalidSpec', `${field}.path: required (one or more cache directories separated by ":")`);
  const bad = paths.find((p) => !p.startsWith('/'));
  if (bad !== undefined) throw new PlanError('InvalidSpec', `${field}.path: "${bad}" is not an absolute path`);
  let cacheSizeMiB: number | undefined;
  const quota = str(level['quota']);
  if (quota !== undefined) {
    try {
      cacheSizeMiB = Math.floor(parseQuantity(quota, { plainNumberUnit: 2 ** 20 }) / 2 ** 20);
    } catch (err) {
      throw new PlanError('InvalidSpec', `${field}.quota: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (cacheSizeMiB < 1) throw new PlanError('InvalidSpec', `${field}.quota: must be at least 1Mi (a plain number means MiB)`);
  }
  const low = str(level['low']);
  if (low !== undefined && !(Number(low) >= 0 && Number(low) < 1)) throw new PlanError('InvalidSpec', `${field}.low: expected a ratio in [0, 1), got "${low}"`);
  // Embedded mode has no mount namespaces: each tier path becomes a per-runtime host directory.
  const volumeType = str(level['volumeType']);
  const bases: string[] = [];
  const dirs = paths.map((p, j) => {
    const under = p === '/dev/shm' || p.startsWith('/dev/shm/');
    const base = medium === 'MEM' && under ? `${layout.shmRoot}/${namespace}/${name}`
      : volumeType === 'hostPath' || volumeType === undefined ? `${p.replace(/\/+$/, '')}/fluid-ts/${namespace}/${name}` : fallback;
    if (!bases.includes(base)) bases.push(base);
    return `${base}/juicefs-${j}`;
  });
  return { dirs, bases, ...(cacheSizeMiB !== undefined ? { cacheSizeMiB } : {}), ...(low !== undefined ? { low } : {}) };
}

function render(input: PlanInput): EnginePlan {
  const { spec, namespace, name, layout, ports, dataset } = input;
  const replicas = workerCount(spec);
  if (ports.worker.length < replicas) throw new PlanError('PortsNotAllocated', `ports for ${replicas} worker(s) are not allocated yet`);
  const unsupported = [
    ...unknownKeys(spec, SPEC_KEYS, 'spec'),
    ...unknownKeys(rec(spec['worker']), ROLE_KEYS, 'spec.worker'),
    ...unknownKeys(rec(spec['fuse']), ROLE_KEYS, 'spec.fuse'),
  ];

  // ---- the dataset's mount: one JuiceFS file system (Fluid reads mounts[0])
  const m = dataset.mounts[0];
  if (!m) throw new PlanError('InvalidDataset', `dataset ${namespace}/${name} has no spec.mounts: a JuiceFSRuntime needs one mount "juicefs:///<subdir>"`);
  if (dataset.mounts.length > 1) unsupported.push('dataset spec.mounts[1..] (a JuiceFSRuntime serves one JuiceFS file system: only mounts[0] is used)');
  const subdir = juicefsSubdir(m.mountPoint ?? '');
  if (subdir === undefined) {
    throw new PlanError('InvalidDataset', `dataset spec.mounts[0].mountPoint: expected "juicefs:///<subdir>" (a directory of the JuiceFS file system), got ${JSON.stringify(m.mountPoint ?? '')}`);
  }
  const fsName = m.name ?? '';
  if (!FS_NAME.test(fsName)) {
    throw new PlanError('InvalidDataset', `dataset spec.mounts[0].name: the JuiceFS file system name must be 3-63 lowercase letters, digits or "-", starting and ending with a letter or digit, got ${JSON.stringify(fsName)}`);
  }
  const options = strMap(m.options);
  const formatOptions: Record<string, string> = {};
  const datasetMountOptions: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === 'storage' || k === 'bucket') continue;
    if (k === 'quota') { unsupported.push('dataset spec.mounts[0].options.quota (directory quotas are not set by fluid-ts)'); continue; }
    if (FORMAT_KEYS.has(k)) formatOptions[k] = v;
    else datasetMountOptions[k] = v;
  }
  for (const [i, c] of arr(spec['configs']).entries()) {
    const text = (str(c) ?? '').trim().replace(/^--/, '');
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq === 0) throw new PlanError('InvalidSpec', `spec.configs[${i}]: expected "flag" or "flag=value", got ${JSON.stringify(c)}`);
    formatOptions[eq < 0 ? text : text.slice(0, eq)] = eq < 0 ? '' : text.slice(eq + 1);
  }

  const secretRefs: SecretRef[] = [];
  const files: Record<string, string> = {};
  (m.encryptOptions ?? []).forEach((e, j) => {
    const field = `spec.mounts[0].encryptOptions[${j}]`;
    const ref = e.valueFrom?.secretKeyRef;
    if (!e.name || !ref?.name || !ref.key) throw new PlanError('InvalidDataset', `dataset ${field}: name and valueFrom.secretKeyRef.{name,key} are required`);
    if (!ENCRYPT_KEYS.includes(e.name)) { unsupported.push(`dataset ${field} "${e.name}" (JuiceFS CE reads ${ENCRYPT_KEYS.join(', ')} from Secrets)`); return; }
    secretRefs.push({ secret: ref.name, key: ref.key, field });
    files[e.name] = `${SECRETS_MOUNT}/${ref.name}/${ref.key}`;
  });
  const metaUrlFile = files['metaurl'];
  if (metaUrlFile === undefined) {
    throw new PlanError('MetaUrlRequired', 'dataset spec.mounts[0].encryptOptions: an entry named "metaurl" (valueFrom.secretKeyRef) is required: it is the URL of the JuiceFS metadata engine (redis://... or sqlite3://...)');
  }
  const metaRef = secretRefs.find((r) => files['metaurl'] === `${SECRETS_MOUNT}/${r.secret}/${r.key}`);
  const accessModes = dataset.accessModes ?? [];
  const readOnly = accessModes.length === 0 || accessModes.includes('ReadOnlyMany');

  // ---- cache tier, shared by the workers and the FUSE on a node (Fluid: same tieredstore config)
  const tier = renderTier(input, unsupported);
  const cacheOptions: Record<string, string> = {};
  if (tier.cacheSizeMiB !== undefined) cacheOptions['cache-size'] = String(tier.cacheSizeMiB);
  if (tier.low !== undefined) cacheOptions['free-space-ratio'] = tier.low;

  const mntRoot = `${layout.hostRoot}/runtime-mnt/juicefs/${namespace}/${name}`;
  const fusePath = `${mntRoot}/juicefs-fuse`;
  const base = {
    host: layout.host, name: fsName, subdir,
    // Cache directories only: never a mount point (a live mount would be emptied) nor JuiceFS data.
    stateDirs: tier.bases,
    ...(options['storage'] !== undefined ? { storage: options['storage'] } : {}),
    ...(options['bucket'] !== undefined ? { bucket: options['bucket'] } : {}),
    formatOptions, metaUrlFile,
    ...(files['access-key'] !== undefined ? { accessKeyFile: files['access-key'] } : {}),
    ...(files['secret-key'] !== undefined ? { secretKeyFile: files['secret-key'] } : {}),
    metaUrlRef: metaRef ? `Secret "${metaRef.secret}" key "${metaRef.key}"` : 'the metaurl encryptOption',
  };
  const configs: Record<string, string> = {};
  const workerPods = Array.from({ length: replicas }, (_, i) => `${workerName(JUICEFS_KIND, name)}-${i}`);
  workerPods.forEach((pod, i) => {
    const cfg: JuiceFSConfig = {
      ...base, id: pod, role: 'worker', cacheDirs: tier.dirs, port: ports.worker[i] ?? 0, mountPath: `${mntRoot}/worker/${pod}`, readOnly: false, formats: i === 0,
      mountOptions: { ...datasetMountOptions, ...cacheOptions, ...strMap(rec(spec['worker'])?.['options']) },
    };
    configs[configKey(pod)] = json(cfg);
  });
  const fuseCfg: JuiceFSConfig = {
    ...base, id: `${name}-fuse`, role: 'fuse', cacheDirs: tier.dirs, port: ports.fuse, mountPath: fusePath, readOnly, formats: replicas === 0,
    mountOptions: {
      ...datasetMountOptions, ...cacheOptions,
      ...(readOnly ? { 'attr-cache': READ_ONLY_CACHE_SECONDS, 'entry-cache': READ_ONLY_CACHE_SECONDS } : {}),
      ...strMap(rec(spec['fuse'])?.['options']),
    },
  };
  configs[FUSE_CONFIG_KEY] = json(fuseCfg);

  // ---- pod templates
  const secretNames = [...new Set(secretRefs.map((r) => r.secret))].sort();
  const secretVolumes: Volume[] = secretNames.map((s) => ({ name: `secret-${s}`, secret: { secretName: s, defaultMode: 0o600 } }));
  const secretMounts: VolumeMount[] = secretNames.map((s) => ({ name: `secret-${s}`, mountPath: `${SECRETS_MOUNT}/${s}`, readOnly: true }));
  const tierVolumes: Volume[] = tier.bases.map((b, i) => ({ name: `cache-${i}`, hostPath: { path: b, type: 'DirectoryOrCreate' } }));
  const tierMounts: VolumeMount[] = tier.bases.map((b, i) => ({ name: `cache-${i}`, mountPath: b }));
  const mntVolume: Volume = { name: 'juicefs-mnt', hostPath: { path: mntRoot, type: 'DirectoryOrCreate' } };
  const mntMount: VolumeMount = { name: 'juicefs-mnt', mountPath: mntRoot };
  const configVolume: Volume = { name: 'engine-config', configMap: { name: configMapName(name) } };
  const configMount: VolumeMount = { name: 'engine-config', mountPath: CONFIG_MOUNT, readOnly: true };
  const mountsHash = fnv1a32(JSON.stringify([m.mountPoint, m.name, m.options, m.encryptOptions]));
  const role = (replicas: number, cname: string, configFile: string): RoleTemplate => {
    const container: Container = {
      name: cname,
      image: ENGINE_IMAGE,
      command: ['fluid'],
      // The HTTP listener binds the node's address (engine pods use host networking), as the cache
      // engine's pods do: one ConfigMap file serves a pod on any node.
      args: ['engine', 'juicefs', '--config', `${CONFIG_MOUNT}/${configFile}`, '--host', '$(HOST_IP)'],
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      ],
      volumeMounts: [configMount, ...secretMounts, ...tierMounts, mntMount],
    };
    return { replicas, container, volumes: [configVolume, ...secretVolumes, ...tierVolumes, mntVolume], annotations: { [MOUNTS_HASH_ANNOTATION]: mountsHash } };
  };
  return {
    master: null,
    worker: role(replicas, 'juicefs-worker', '$(POD_NAME).json'),
    fuse: role(1, 'juicefs-fuse', FUSE_CONFIG_KEY),
    configs,
    mountPath: fusePath,
    mountType: JUICEFS_MOUNT_TYPE,
    secretRefs,
    cacheCapacityBytes: (tier.cacheSizeMiB ?? 0) * 2 ** 20 * replicas,
    unsupported,
    podStats: true,
  };
}

function json(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

// AlluxioRuntime and JindoRuntime both run this project's cache engine. This module maps their
// specs onto MasterConfig / WorkerConfig / FuseConfig files and onto the master StatefulSet,
// worker StatefulSet and fuse DaemonSet templates. Pure: ports and host layout come in.
//
// Path contract (embedded mode has no mount namespaces): hostPath volumes are mounted at their
// own host path, so paths in configs under them are host paths. Paths under other volumes
// (configMap, secret, PVC, emptyDir) are container paths; the node agent maps each volumeMount
// to a host directory and rewrites those paths in the config file it materialises.
import type { EngineMount, FuseConfig, MasterConfig, TierLevel, WorkerConfig } from '../../api/engine-config.js';
import { parseQuantity } from '../../api/quantity.js';
import type { Container, Volume, VolumeMount } from '../workloads/kube-object.js';
import {
  CONFIG_MOUNT, DEFAULT_JOURNAL_MOUNT, ENGINE_IMAGE, ENGINE_TOKEN_SECRET_KEY, FUSE_CONFIG_KEY, MOUNTS_HASH_ANNOTATION, SECRETS_MOUNT, configKey,
  engineTokenSecretName, masterName, workerName,
} from '../workloads/names.js';
import type {
  ComponentCounts, EnginePlan, PlanInput, PlanResult, RoleTemplate, RuntimeEngine, SecretRef,
} from './runtime-engine.js';
import { arr, num, rec, str, strMap, unknownKeys, type Json } from './spec-view.js';
import { mountPathError } from '../../api/kinds/mount-paths.js';
import { backupFileName, parseBackupPath } from '../../api/kinds/data-backup.js';
import { parsePvcMountPoint } from '../ufs/mount-uri.js';
import { endpoint } from './master-endpoints.js';

/** Where a pvc:// mount's claim is mounted in engine containers: <UFS_PVC_MOUNT>/<claim>. */
const UFS_PVC_MOUNT = '/underFSStorage';
/** Where a master restoring from a pvc:// dataRestoreLocation sees the claim. */
const RESTORE_PVC_MOUNT = '/fluid-restore';

export interface CacheEngineFlavor {
  readonly kind: 'AlluxioRuntime' | 'JindoRuntime';
  /** runtime-mnt/<dir>/<ns>/<name>/<fuseDir> */
  readonly dir: string;
  readonly fuseDir: string;
  /** Property naming the master's metadata/journal folder. */
  readonly journalProperty: string;
}

export const ALLUXIO: CacheEngineFlavor = {
  kind: 'AlluxioRuntime', dir: 'alluxio', fuseDir: 'alluxio-fuse', journalProperty: 'alluxio.master.journal.folder',
};
export const JINDO: CacheEngineFlavor = {
  kind: 'JindoRuntime', dir: 'jindo', fuseDir: 'jindofs-fuse', journalProperty: 'namespace.meta-dir',
};

const SPEC_KEYS = ['replicas', 'tieredstore', 'master', 'worker', 'fuse', 'properties', 'volumes'];
const MASTER_KEYS = ['replicas', 'properties', 'volumeMounts'];
const WORKER_KEYS = ['properties', 'volumeMounts'];
const FUSE_KEYS = ['properties'];
const LEVEL_KEYS = ['mediumtype', 'path', 'quota', 'quotaList', 'high', 'low', 'volumeType'];
const DEFAULT_HIGH = 0.95;
const DEFAULT_LOW = 0.7;

class PlanError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export function cacheEngine(flavor: CacheEngineFlavor): RuntimeEngine {
  return {
    kind: flavor.kind,
    counts: (spec) => counts(spec),
    plan(input: PlanInput): PlanResult {
      try {
        return { ok: true, plan: render(flavor, input) };
      } catch (err) {
        if (err instanceof PlanError) return { ok: false, reason: err.reason, message: err.message };
        throw err;
      }
    },
  };
}

function counts(spec: Json): ComponentCounts {
  const master = Math.max(1, Math.floor(num(rec(spec['master'])?.['replicas']) ?? 1));
  const worker = Math.max(0, Math.floor(num(spec['replicas']) ?? 1));
  return { master, worker };
}

function render(flavor: CacheEngineFlavor, input: PlanInput): EnginePlan {
  const { spec, namespace, name, layout, ports } = input;
  const n = counts(spec);
  if (ports.master.length < n.master || ports.worker.length < n.worker) {
    throw new PlanError('PortsNotAllocated', `ports for ${n.master} master(s) and ${n.worker} worker(s) are not allocated yet`);
  }
  const masterSpec = rec(spec['master']);
  const workerSpec = rec(spec['worker']);
  const fuseSpec = rec(spec['fuse']);
  const unsupported = [
    ...unknownKeys(spec, SPEC_KEYS, 'spec'),
    ...unknownKeys(masterSpec, MASTER_KEYS, 'spec.master'),
    ...unknownKeys(workerSpec, WORKER_KEYS, 'spec.worker'),
    ...unknownKeys(fuseSpec, FUSE_KEYS, 'spec.fuse'),
  ];

  // ---- dataset mounts and the secrets they reference
  const secretRefs: SecretRef[] = [];
  if (input.dataset.mounts.length === 0) {
    throw new PlanError('InvalidDataset', `dataset ${namespace}/${name} has no spec.mounts`);
  }
  const placements = input.dataset.mounts.map((m, i) => ({ name: m.name ?? mountNameOf(m.mountPoint ?? '', i), path: m.path }));
  // pvc://<claim>/<path>: the claim is a volume of every engine pod, and the UFS is its directory.
  const ufsVolumes: Volume[] = [];
  const ufsMounts: VolumeMount[] = [];
  const mounts: EngineMount[] = input.dataset.mounts.map((m, i) => {
    let mountPoint = m.mountPoint ?? '';
    if (!mountPoint) throw new PlanError('InvalidDataset', `dataset spec.mounts[${i}].mountPoint: required`);
    const pathError = mountPathError(placements, i);
    if (pathError) throw new PlanError('InvalidDataset', `dataset spec.mounts[${i}].path: ${pathError}`);
    const pvc = parsePvcMountPoint(mountPoint);
    if (pvc) {
      const vname = `ufs-pvc-${pvc.claim}`;
      if (!ufsVolumes.some((v) => v.name === vname)) {
        ufsVolumes.push({ name: vname, persistentVolumeClaim: { claimName: pvc.claim } });
        ufsMounts.push({ name: vname, mountPath: `${UFS_PVC_MOUNT}/${pvc.claim}`, readOnly: true });
      }
      // A container path under the claim's mount; the node agent maps it to the claim's directory.
      mountPoint = `${UFS_PVC_MOUNT}/${pvc.claim}${pvc.subPath === '/' ? '' : pvc.subPath}`;
    }
    const files: Record<string, string> = {};
    (m.encryptOptions ?? []).forEach((e, j) => {
      const field = `spec.mounts[${i}].encryptOptions[${j}]`;
      const ref = e.valueFrom?.secretKeyRef;
      if (!e.name || !ref?.name || !ref.key) {
        throw new PlanError('InvalidDataset', `dataset ${field}: name and valueFrom.secretKeyRef.{name,key} are required`);
      }
      secretRefs.push({ secret: ref.name, key: ref.key, field });
      files[e.name] = `${SECRETS_MOUNT}/${ref.name}/${ref.key}`;
    });
    return {
      name: placements[i]?.name ?? `mount-${i}`, ...(m.path ? { path: m.path } : {}),
      mountPoint, options: { ...(m.options ?? {}) }, encryptOptionFiles: files,
    };
  });
  const mountsHash = fnv1a32(JSON.stringify(mounts));
  const secretNames = [...new Set(secretRefs.map((r) => r.secret))];
  const secretVolumes: Volume[] = secretNames.map((s) => ({ name: `secret-${s}`, secret: { secretName: s, defaultMode: 0o600 } }));
  const secretMounts: VolumeMount[] = secretNames.map((s) => ({ name: `secret-${s}`, mountPath: `${SECRETS_MOUNT}/${s}`, readOnly: true }));
  // The runtime's engine credential: every engine container gets the Secret as a 0600 file and its
  // config names only the file's path (tokenFile), never the value.
  const tokenSecret = engineTokenSecretName(name);
  const tokenVolume: Volume = { name: 'engine-token', secret: { secretName: tokenSecret, defaultMode: 0o600 } };
  const tokenMount: VolumeMount = { name: 'engine-token', mountPath: `${SECRETS_MOUNT}/${tokenSecret}`, readOnly: true };
  const tokenFile = `${SECRETS_MOUNT}/${tokenSecret}/${ENGINE_TOKEN_SECRET_KEY}`;
  const configVolume: Volume = { name: 'engine-config', configMap: { name: `${name}-engine-config` } };
  const configMount: VolumeMount = { name: 'engine-config', mountPath: CONFIG_MOUNT, readOnly: true };

  const props = strMap(spec['properties']);
  const masterProps = { ...props, ...strMap(masterSpec?.['properties']) };
  const workerProps = { ...props, ...strMap(workerSpec?.['properties']) };
  const fuseProps = { ...props, ...strMap(fuseSpec?.['properties']) };

  // ---- user volumes (spec.volumes) referenced by master/worker volumeMounts
  const userVolumes = new Map<string, Volume>();
  arr(spec['volumes']).forEach((v, i) => {
    const vol = rec(v);
    const vname = str(vol?.['name']);
    if (!vol || !vname) throw new PlanError('InvalidSpec', `spec.volumes[${i}].name: required`);
    const pvc = rec(vol['persistentVolumeClaim']);
    const hostPath = rec(vol['hostPath']);
    if (pvc && str(pvc['claimName'])) userVolumes.set(vname, { name: vname, persistentVolumeClaim: { claimName: str(pvc['claimName']) ?? '' } });
    else if (hostPath && str(hostPath['path'])) userVolumes.set(vname, { name: vname, hostPath: { path: str(hostPath['path']) ?? '' } });
    else if (vol['emptyDir'] !== undefined) userVolumes.set(vname, { name: vname, emptyDir: {} });
    else unsupported.push(`spec.volumes[${i}] (only persistentVolumeClaim, hostPath and emptyDir volumes are supported)`);
  });
  const roleMounts = (role: Json | undefined, prefix: string): { volumes: Volume[]; mounts: VolumeMount[] } => {
    const volumes: Volume[] = [];
    const mounts: VolumeMount[] = [];
    arr(role?.['volumeMounts']).forEach((m, i) => {
      const vm = rec(m);
      const vname = str(vm?.['name']);
      const mountPath = str(vm?.['mountPath']);
      if (!vname || !mountPath) throw new PlanError('InvalidSpec', `${prefix}.volumeMounts[${i}]: name and mountPath are required`);
      const vol = userVolumes.get(vname);
      if (!vol) throw new PlanError('InvalidSpec', `${prefix}.volumeMounts[${i}].name: volume "${vname}" is not defined in spec.volumes`);
      if (!volumes.includes(vol)) volumes.push(vol);
      mounts.push({ name: vname, mountPath });
    });
    return { volumes, mounts };
  };

  // ---- masters
  // Addresses across nodes: engine pods use host networking and listen on their node's address,
  // passed as `--host $(HOST_IP)` (status.hostIP), so one ConfigMap file serves a pod on any node.
  // Who must dial a master learns its address from the API once the scheduler has placed it
  // (input.masterHosts, see master-endpoints.ts). Configs that name master addresses (Raft peers,
  // workers, FUSE) are therefore left out until every master is placed; the node agent retries a
  // pod whose config key is missing, as the kubelet does, so nothing starts with a wrong address.
  const host = layout.host;
  const masterPods = Array.from({ length: n.master }, (_, i) => `${masterName(flavor.kind, name)}-${i}`);
  const placed = input.masterHosts ?? [];
  const masterAddrs = masterPods.map((_, i) => {
    const h = placed[i];
    return h ? endpoint(h, ports.master[i] ?? 0) : undefined;
  });
  const mastersKnown = masterAddrs.filter((a): a is string => a !== undefined);
  const allMastersPlaced = mastersKnown.length === n.master;
  const mv = roleMounts(masterSpec, 'spec.master');
  const journalBase = masterProps[flavor.journalProperty] ?? DEFAULT_JOURNAL_MOUNT;
  if (!mv.mounts.some((m) => isUnder(journalBase, m.mountPath))) {
    // The journal is not on a user volume: it lives in the pod's emptyDir.
    mv.volumes.push({ name: 'journal', emptyDir: {} });
    mv.mounts.push({ name: 'journal', mountPath: journalBase });
  }
  const restore = restoreSource(input.dataset, name, namespace);
  if (restore) {
    mv.volumes.push(restore.volume);
    mv.mounts.push(restore.mount);
  }
  const configs: Record<string, string> = {};
  masterPods.forEach((pod, i) => {
    // A single master needs no one's address; Raft peers need every master's.
    if (n.master > 1 && !allMastersPlaced) return;
    const cfg: MasterConfig = {
      id: pod,
      host: placed[i] ?? host,
      port: ports.master[i] ?? 0,
      mounts,
      peers: n.master > 1 ? masterPods.map((id, j) => ({ id, address: masterAddrs[j] ?? '' })) : [],
      journalDir: `${trimSlash(journalBase)}/${pod}`,
      tokenFile,
      properties: masterProps,
      ...(restore ? { restore: restore.config } : {}),
    };
    configs[configKey(pod)] = json(cfg);
  });

  // ---- workers and tiers
  const levels = arr(rec(spec['tieredstore'])?.['levels']);
  if (levels.length === 0) throw new PlanError('InvalidSpec', 'spec.tieredstore.levels: at least one cache level is required');
  const tierVolumes: Volume[] = [];
  const tierMounts: VolumeMount[] = [];
  const tierDefs: { medium: TierLevel['mediumtype']; bases: string[]; quotas: number[]; high: number; low: number }[] = [];
  levels.forEach((l, i) => {
    const level = rec(l) ?? {};
    const field = `spec.tieredstore.levels[${i}]`;
    unsupported.push(...unknownKeys(level, LEVEL_KEYS, field));
    const medium = str(level['mediumtype']);
    if (medium !== 'MEM' && medium !== 'SSD' && medium !== 'HDD') {
      throw new PlanError('InvalidSpec', `${field}.mediumtype: expected MEM, SSD or HDD, got ${JSON.stringify(medium)}`);
    }
    const paths = (str(level['path']) ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (paths.length === 0) throw new PlanError('InvalidSpec', `${field}.path: required`);
    const quotaStrs = str(level['quotaList'])?.split(',').map((q) => q.trim()) ?? [];
    const quotaStr = str(level['quota']);
    let quotas: number[];
    try {
      if (quotaStrs.length > 0) {
        if (quotaStrs.length !== paths.length) throw new PlanError('InvalidSpec', `${field}.quotaList: expected ${paths.length} quotas, one per path`);
        quotas = quotaStrs.map((q) => parseQuantity(q));
      } else if (quotaStr !== undefined) {
        const total = parseQuantity(quotaStr);
        quotas = paths.map(() => Math.floor(total / paths.length));
      } else {
        throw new PlanError('InvalidSpec', `${field}.quota: required`);
      }
    } catch (err) {
      if (err instanceof PlanError) throw err;
      throw new PlanError('InvalidSpec', `${field}.quota: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (quotas.some((q) => q < 1)) throw new PlanError('InvalidSpec', `${field}.quota: must be at least 1 byte`);
    const high = num(level['high']) ?? DEFAULT_HIGH;
    const low = num(level['low']) ?? DEFAULT_LOW;
    if (!(low >= 0 && low <= high && high <= 1)) throw new PlanError('InvalidSpec', `${field}: expected 0 <= low <= high <= 1`);
    const volumeType = str(level['volumeType']);
    const bases = paths.map((p, j) => {
      let base: string;
      if (medium === 'MEM' && isUnder(p, '/dev/shm')) base = `${layout.shmRoot}/${namespace}/${name}`;
      else if (volumeType === 'hostPath') base = `${trimSlash(p)}/fluid-ts/${namespace}/${name}`;
      else base = `${layout.hostRoot}/cache/${namespace}/${name}`;
      const dir = `${base}/tier-${i}-${j}`;
      if (!tierMounts.some((m) => m.mountPath === base)) {
        const vname = `cache-${tierMounts.length}`;
        tierVolumes.push({ name: vname, hostPath: { path: base, type: 'DirectoryOrCreate' } });
        tierMounts.push({ name: vname, mountPath: base });
      }
      return dir;
    });
    tierDefs.push({ medium, bases, quotas, high, low });
  });
  const workerPods = Array.from({ length: n.worker }, (_, i) => `${workerName(flavor.kind, name)}-${i}`);
  workerPods.forEach((pod, i) => {
    if (!allMastersPlaced) return;
    const cfg: WorkerConfig = {
      id: pod,
      host,
      port: ports.worker[i] ?? 0,
      masters: mastersKnown,
      mounts,
      tiers: tierDefs.map((t) => ({ mediumtype: t.medium, paths: t.bases.map((b) => `${b}/${pod}`), quotas: t.quotas, high: t.high, low: t.low })),
      tokenFile,
      properties: workerProps,
    };
    configs[configKey(pod)] = json(cfg);
  });
  const perWorker = tierDefs.reduce((s, t) => s + t.quotas.reduce((a, b) => a + b, 0), 0);
  const wv = roleMounts(workerSpec, 'spec.worker');

  // ---- fuse
  const mntRoot = `${layout.hostRoot}/runtime-mnt/${flavor.dir}/${namespace}/${name}`;
  const mountPath = `${mntRoot}/${flavor.fuseDir}`;
  if (allMastersPlaced) {
    const fuseCfg: FuseConfig = { id: `${name}-fuse`, host, port: ports.fuse, masters: mastersKnown, mountPath, tokenFile, mounts, properties: fuseProps };
    configs[FUSE_CONFIG_KEY] = json(fuseCfg);
  }

  const role = (replicas: number, cname: string, command: string, configFile: string, volumes: Volume[], vmounts: VolumeMount[]): RoleTemplate => {
    const container: Container = {
      name: cname,
      image: ENGINE_IMAGE,
      command: ['fluid'],
      args: ['engine', command, '--config', `${CONFIG_MOUNT}/${configFile}`, '--host', '$(HOST_IP)', '--node-name', '$(NODE_NAME)'],
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ],
      volumeMounts: [configMount, tokenMount, ...secretMounts, ...ufsMounts, ...vmounts],
    };
    return { replicas, container, volumes: [configVolume, tokenVolume, ...secretVolumes, ...ufsVolumes, ...volumes], annotations: { [MOUNTS_HASH_ANNOTATION]: mountsHash } };
  };
  return {
    master: { ...role(n.master, 'master', 'master', '$(POD_NAME).json', mv.volumes, mv.mounts), ...(restore?.nodeSelector ? { nodeSelector: restore.nodeSelector } : {}) },
    worker: role(n.worker, 'worker', 'worker', '$(POD_NAME).json', [...tierVolumes, ...wv.volumes], [...tierMounts, ...wv.mounts]),
    fuse: role(1, 'fuse', 'fuse', FUSE_CONFIG_KEY, [{ name: 'fuse-mount', hostPath: { path: mntRoot, type: 'DirectoryOrCreate' } }], [{ name: 'fuse-mount', mountPath: mntRoot }]),
    configs,
    mountPath,
    mountType: `fuse.${flavor.fuseDir}`,
    secretRefs,
    cacheCapacityBytes: perWorker * n.worker,
    unsupported,
  };
}

/**
 * Dataset spec.dataRestoreLocation -> the masters' volume holding the backup file and the restore
 * entry of their config. pvc://<claim>/<dir>: the claim, read-only; local:///<dir>: that host
 * directory (it must exist: no DirectoryOrCreate), on node `nodeName` when given (Fluid's rule: a
 * local backup lives on one node, so the masters go there).
 */
function restoreSource(ds: PlanInput['dataset'], name: string, namespace: string): { volume: Volume; mount: VolumeMount; config: { file: string; location: string }; nodeSelector?: Record<string, string> } | undefined {
  const loc = ds.dataRestoreLocation;
  if (!loc) return undefined;
  const path = loc.path ?? '';
  const p = parseBackupPath(path);
  if (!p) throw new PlanError('InvalidDataset', `dataset spec.dataRestoreLocation.path: ${JSON.stringify(path)} is not pvc://<claim>/<path> or local:///<path> (the backupPath of a DataBackup)`);
  const file = backupFileName(name, namespace);
  const nodeSelector = loc.nodeName ? { 'kubernetes.io/hostname': loc.nodeName } : undefined;
  if (p.kind === 'pvc') {
    const dir = `${RESTORE_PVC_MOUNT}${p.subPath === '/' ? '' : p.subPath}`;
    return {
      volume: { name: 'restore', persistentVolumeClaim: { claimName: p.claim } },
      mount: { name: 'restore', mountPath: RESTORE_PVC_MOUNT, readOnly: true },
      config: { file: `${dir}/${file}`, location: path }, ...(nodeSelector ? { nodeSelector } : {}),
    };
  }
  return {
    volume: { name: 'restore', hostPath: { path: p.dir, type: 'Directory' } },
    mount: { name: 'restore', mountPath: p.dir, readOnly: true },
    config: { file: `${trimSlash(p.dir)}/${file}`, location: path }, ...(nodeSelector ? { nodeSelector } : {}),
  };
}

/** Default mount name from the mount point's last path segment ("https://h/a/hbase/" -> "hbase"). */
function mountNameOf(mountPoint: string, index: number): string {
  const seg = mountPoint.replace(/[/]+$/, '').split('/').pop() ?? '';
  const clean = seg.replace(/[^A-Za-z0-9._-]/g, '');
  return clean !== '' && !clean.includes(':') ? clean : `mount-${index}`;
}

/** FNV-1a 32 bit, hex: a change detector for pod templates (not a security hash). Also used by juicefs-engine.ts. */
export function fnv1a32(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function isUnder(path: string, dir: string): boolean {
  const d = trimSlash(dir);
  return path === d || path.startsWith(`${d}/`);
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function json(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

// The ThinRuntime engine for the runtime controller (registered by kind in
// apps/controllers/engine-registry.ts). Pure: ThinRuntime + its ThinRuntimeProfile + Dataset
// mounts -> an EnginePlan with no master and no worker, one fuse DaemonSet whose container is
// exactly what a real cluster runs (the profile's image, command, args and env; the FUSE config
// ConfigMap at /etc/fluid/config; each referenced Secret at /etc/fluid/secrets/<name>).
// In embedded mode the node agent's thin runner runs that container's command locally
// (src/apps/controllers/thin/thin-fuse-runner.ts) instead of pulling the image.
import type { Container, Volume, VolumeMount } from '../workloads/kube-object.js';
import type { ClusterObjectRef, EnginePlan, PlanInput, PlanResult, RuntimeEngine, SecretRef } from '../reconcile/runtime-engine.js';
import { arr, num, rec, str, strMap, unknownKeys } from '../reconcile/spec-view.js';
import { formatFieldError } from '../errors.js';
import { configMapName } from '../workloads/names.js';
import { planClient } from './client-plan.js';
import { renderFuseConfig } from './render-fuse-config.js';
import type { DatasetMount, EnvVar, ThinProfileSpecInput, ThinRuntimeSpecInput } from './thin-inputs.js';

export const THIN_KIND = 'ThinRuntime';
export const THIN_PROFILE_PLURAL = 'thinruntimeprofiles';
/** Container name the node agent's thin runner claims. */
export const THIN_FUSE_CONTAINER = 'thin-fuse';
/** Image used on the DaemonSet when the profile names none (embedded mode never pulls it). */
export const THIN_DEFAULT_IMAGE = 'fluid-ts/thin-fuse';
/** ConfigMap keys: Fluid's FUSE config, and what the local launcher needs besides it. */
export const THIN_CONFIG_KEY = 'config.json';
export const THIN_CLIENT_KEY = 'thin-client.json';
export const THIN_SECRETS_DIR = '/etc/fluid/secrets';
export const THIN_CONFIG_VOLUME = 'thin-fuse-config';

/** Contents of THIN_CLIENT_KEY. */
export interface ThinClientMeta {
  readonly fileSystemType: string;
  readonly targetPath: string;
  /** Namespace-side secret file paths with the Secret/key that fills each. */
  readonly secretFiles: readonly { readonly secretName: string; readonly key: string; readonly path: string }[];
}

const SPEC_KEYS = ['profileName', 'fuse', 'replicas', 'tieredstore', 'worker', 'master', 'volumes', 'nodeSelector', 'imagePullSecrets', 'management', 'networkmode', 'runAs'];

export function thinTargetPath(hostRoot: string, namespace: string, name: string): string {
  return `${hostRoot.replace(/\/+$/, '')}/runtime-mnt/thin/${namespace}/${name}/thin-fuse`;
}

function envList(v: unknown): EnvVar[] {
  return arr(v).map(rec).filter((e) => e !== undefined).map((e) => ({ name: str(e['name']) ?? '', value: str(e['value']) }));
}

function strList(v: unknown): string[] | undefined {
  const a = arr(v).map((x) => (typeof x === 'string' ? x : String(x)));
  return a.length > 0 ? a : undefined;
}

export const thinEngine: RuntimeEngine = {
  kind: THIN_KIND,
  counts: () => ({ master: 0, worker: 0 }),
  clusterRefs(spec) {
    const name = str(spec['profileName']);
    return name ? [{ group: 'data.fluid.io', plural: THIN_PROFILE_PLURAL, name }] : [];
  },
  plan(input: PlanInput): PlanResult {
    const spec = input.spec;
    const profileName = str(spec['profileName']);
    if (!profileName) return { ok: false, reason: 'ProfileNameRequired', message: 'spec.profileName: Required value: name the ThinRuntimeProfile that describes the FUSE client' };
    const ref: ClusterObjectRef = { group: 'data.fluid.io', plural: THIN_PROFILE_PLURAL, name: profileName };
    const profileObj = rec(input.clusterObjects?.[`${ref.plural}/${ref.name}`]);
    if (!profileObj) {
      return { ok: false, reason: 'ProfileNotFound', message: `ThinRuntimeProfile "${profileName}" (spec.profileName) was not found; create it (it is cluster-scoped) and the runtime will be set up` };
    }
    const pspec = rec(profileObj['spec']) ?? {};
    const pfuse = rec(pspec['fuse']) ?? {};
    const profile: ThinProfileSpecInput = {
      fileSystemType: str(pspec['fileSystemType']) ?? '',
      fuse: { image: str(pfuse['image']), imageTag: str(pfuse['imageTag']), command: strList(pfuse['command']), args: strList(pfuse['args']), env: envList(pfuse['env']) },
    };
    const rfuse = rec(spec['fuse']) ?? {};
    const runtime: ThinRuntimeSpecInput = {
      profileName, replicas: num(spec['replicas']),
      fuse: { command: strList(rfuse['command']), args: strList(rfuse['args']), env: envList(rfuse['env']), options: strMap(rfuse['options']) },
    };
    const targetPath = thinTargetPath(input.layout.hostRoot, input.namespace, input.name);
    const planned = planClient(profileName, profile, runtime, targetPath);
    const mounts: DatasetMount[] = input.dataset.mounts.map((m) => ({
      mountPoint: m.mountPoint ?? '', name: m.name, path: m.path, readOnly: m.readOnly, shared: m.shared, options: m.options,
      encryptOptions: (m.encryptOptions ?? []).map((e) => ({ name: e.name ?? '', valueFrom: { secretKeyRef: { name: e.valueFrom?.secretKeyRef?.name ?? '', key: e.valueFrom?.secretKeyRef?.key ?? '' } } })),
    }));
    const rendered = renderFuseConfig({ dataset: { mounts }, runtimeOptions: runtime.fuse?.options, secretsDir: THIN_SECRETS_DIR, targetPath });
    const errors = [...planned.errors, ...rendered.errors.map((e) => ({ ...e, path: e.path.startsWith('spec.') ? `dataset ${e.path}` : e.path }))];
    if (!planned.plan || errors.length > 0) {
      return { ok: false, reason: 'InvalidThinConfig', message: errors.map(formatFieldError).join('; ') };
    }
    const plan = planned.plan;
    const pfuseCmd = profile.fuse?.command ?? [];
    const cmd = runtime.fuse?.command && runtime.fuse.command.length > 0 ? runtime.fuse.command : pfuseCmd;
    const secretNames = [...new Set(rendered.secretFiles.map((s) => s.secretName))].sort();
    const volumes: Volume[] = [
      { name: THIN_CONFIG_VOLUME, configMap: { name: configMapName(input.name) } },
      ...secretNames.map((s) => ({ name: `thin-secret-${s}`, secret: { secretName: s, defaultMode: 0o400 } })),
    ];
    const volumeMounts: VolumeMount[] = [
      { name: THIN_CONFIG_VOLUME, mountPath: '/etc/fluid/config', readOnly: true },
      ...secretNames.map((s) => ({ name: `thin-secret-${s}`, mountPath: `${THIN_SECRETS_DIR}/${s}`, readOnly: true })),
    ];
    const container: Container = {
      name: THIN_FUSE_CONTAINER,
      image: plan.image ?? THIN_DEFAULT_IMAGE,
      command: [...cmd],
      args: plan.argv.slice(cmd.length),
      env: Object.entries(plan.env).map(([name, value]) => ({ name, value })),
      volumeMounts,
    };
    const secretRefs: SecretRef[] = [];
    mounts.forEach((m, i) => (m.encryptOptions ?? []).forEach((e, j) => secretRefs.push({ secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key, field: `spec.mounts[${i}].encryptOptions[${j}]` })));
    const meta: ThinClientMeta = { fileSystemType: plan.fileSystemType, targetPath, secretFiles: rendered.secretFiles };
    const unsupported = unknownKeys(spec, SPEC_KEYS, 'spec');
    if (spec['tieredstore'] !== undefined) unsupported.push('spec.tieredstore (a ThinRuntime has no cache tier in fluid-ts: the FUSE client reads the storage directly)');
    const plan2: EnginePlan = {
      master: null,
      worker: null,
      fuse: { replicas: 1, container, volumes },
      configs: { [THIN_CONFIG_KEY]: rendered.json, [THIN_CLIENT_KEY]: JSON.stringify(meta) },
      mountPath: targetPath,
      mountType: plan.fileSystemType,
      secretRefs,
      cacheCapacityBytes: 0,
      unsupported,
    };
    return { ok: true, plan: plan2 };
  },
};

// Merges a ThinRuntimeProfile with a ThinRuntime's FUSE overrides into what the embedded node
// agent runs: an argv, an environment and the fsType that proves readiness. Container
// semantics: argv = command ++ args. The runtime's command/args replace the profile's when set;
// env merges by name, the runtime winning. Pure.
import type { FieldError } from '../../api/field-error.js';
import type { EnvVar, ThinProfileSpecInput, ThinRuntimeSpecInput } from './thin-inputs.js';

/** Where the client finds its config inside its private mount namespace. */
export const FLUID_CONFIG_PATH = '/etc/fluid/config/config.json';
/** The older location some scripts read (Fluid's first ThinRuntime docs, seed 004). */
export const FLUID_LEGACY_CONFIG_PATH = '/etc/fluid/config.json';
/** Env var naming the config file, for scripts that prefer not to hard-code the path. */
export const FLUID_CONFIG_PATH_ENV = 'FLUID_CONFIG_PATH';

export interface ThinClientPlan {
  /** argv[0] is the program (resolved through PATH), the rest its arguments. */
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly fileSystemType: string;
  readonly targetPath: string;
  /** Profile image reference, kept for the DaemonSet a real cluster would run. */
  readonly image: string | undefined;
}

export interface ClientPlanResult {
  readonly plan: ThinClientPlan | undefined;
  readonly errors: FieldError[];
}

function mergeEnv(into: Record<string, string>, list: readonly EnvVar[] | undefined, field: string, errors: FieldError[]): void {
  (list ?? []).forEach((e, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) {
      errors.push({ path: `${field}[${i}].name`, type: 'FieldValueInvalid', value: e.name, message: 'expected an environment variable name' });
      return;
    }
    if (e.value === undefined) {
      errors.push({ path: `${field}[${i}].value`, type: 'FieldValueRequired', message: 'only literal env values are supported for the embedded client (valueFrom is not)' });
      return;
    }
    into[e.name] = e.value;
  });
}

export function planClient(profileName: string, profile: ThinProfileSpecInput, runtime: ThinRuntimeSpecInput, targetPath: string): ClientPlanResult {
  const errors: FieldError[] = [];
  const pf = profile.fuse ?? {};
  const rf = runtime.fuse ?? {};
  const command = rf.command && rf.command.length > 0 ? rf.command : (pf.command ?? []);
  const args = rf.args && rf.args.length > 0 ? rf.args : (pf.args ?? []);
  const argv = [...command, ...args];
  if (argv.length === 0 || argv[0] === '') {
    errors.push({
      path: `thinruntimeprofile/${profileName}: spec.fuse.command`, type: 'FieldValueRequired',
      message: 'the embedded node agent runs the command locally (images are not pulled), so a command is required',
    });
  }
  if (!profile.fileSystemType) {
    errors.push({ path: `thinruntimeprofile/${profileName}: spec.fileSystemType`, type: 'FieldValueRequired', message: 'expected the client mount fsType, e.g. fuse.s3fs' });
  }
  const env: Record<string, string> = {};
  mergeEnv(env, pf.env, `thinruntimeprofile/${profileName}: spec.fuse.env`, errors);
  mergeEnv(env, rf.env, 'spec.fuse.env', errors);
  env[FLUID_CONFIG_PATH_ENV] = FLUID_CONFIG_PATH;
  if (errors.length > 0) return { plan: undefined, errors };
  const image = pf.image ? `${pf.image}${pf.imageTag ? `:${pf.imageTag}` : ''}` : undefined;
  return { plan: { argv, env, fileSystemType: profile.fileSystemType, targetPath, image }, errors };
}

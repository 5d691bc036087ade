// Renders the ThinRuntime FUSE config file in Fluid's format. The client's parse script reads
// it at /etc/fluid/config/config.json (older scripts: /etc/fluid/config.json):
//   {"mounts":[{"mountPoint":..,"options":{..},"name":..,"path":..}],"targetPath":"..",
//    "runtimeOptions":{..},"accessModes":["ReadOnlyMany"]}
// Each mount's options are the plain options (dataset sharedOptions, then the mount's own) plus,
// for every encrypt option, its name -> the PATH of a file holding the value. Values of secrets
// never enter this JSON. Pure: no I/O; the caller writes the listed secret files (mode 0600).
import type { FieldError } from '../../api/field-error.js';
import type { DatasetSpecInput, EncryptOption } from './thin-inputs.js';

/** One mount as Fluid serialises it (datav1alpha1.Mount with encryptOptions folded into options). */
export interface ThinConfigMount {
  readonly mountPoint: string;
  readonly options?: Record<string, string>;
  readonly name?: string;
  readonly path?: string;
  readonly readOnly?: boolean;
  readonly shared?: boolean;
}

export interface ThinFuseConfig {
  readonly mounts: ThinConfigMount[];
  readonly targetPath: string;
  readonly runtimeOptions?: Record<string, string>;
  readonly accessModes: string[];
}

/** A secret value the caller must write to `path` (mode 0600) before starting the client. */
export interface SecretFileRef {
  readonly secretName: string;
  readonly key: string;
  /** `<secretsDir>/<secretName>/<key>`, the layout Fluid uses under /etc/fluid/secrets. */
  readonly path: string;
}

export interface RenderFuseConfigInput {
  readonly dataset: DatasetSpecInput;
  /** ThinRuntime spec.fuse.options (become runtimeOptions). */
  readonly runtimeOptions?: Readonly<Record<string, string>> | undefined;
  /** Absolute directory under which secret files are laid out. */
  readonly secretsDir: string;
  /** Absolute path where the client must mount the dataset. */
  readonly targetPath: string;
}

export interface RenderFuseConfigResult {
  /** The file content (single line, as Fluid writes it); empty when `errors` is not empty. */
  readonly json: string;
  readonly config: ThinFuseConfig | undefined;
  /** Every secret file referenced by the JSON, deduplicated. */
  readonly secretFiles: SecretFileRef[];
  readonly errors: FieldError[];
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function renderFuseConfig(input: RenderFuseConfigInput): RenderFuseConfigResult {
  const errors: FieldError[] = [];
  const secretFiles = new Map<string, SecretFileRef>();
  const secretsDir = input.secretsDir.replace(/\/+$/, '');
  const spec = input.dataset;

  const secretPath = (opt: EncryptOption, field: string): string | undefined => {
    const ref = opt.valueFrom.secretKeyRef;
    let ok = true;
    if (!SAFE_SEGMENT.test(ref.name)) {
      errors.push({ path: `${field}.valueFrom.secretKeyRef.name`, type: 'FieldValueInvalid', value: ref.name, message: 'expected a Secret name' });
      ok = false;
    }
    if (!SAFE_SEGMENT.test(ref.key)) {
      errors.push({ path: `${field}.valueFrom.secretKeyRef.key`, type: 'FieldValueInvalid', value: ref.key, message: 'expected a Secret data key' });
      ok = false;
    }
    if (!ok) return undefined;
    const path = `${secretsDir}/${ref.name}/${ref.key}`;
    secretFiles.set(path, { secretName: ref.name, key: ref.key, path });
    return path;
  };

  // Shared options/encryptOptions apply to every mount; a key in both is ambiguous.
  const sharedOptions = spec.sharedOptions ?? {};
  const sharedEncrypt = spec.sharedEncryptOptions ?? [];
  sharedEncrypt.forEach((opt, j) => {
    if (Object.hasOwn(sharedOptions, opt.name)) {
      errors.push({
        path: `spec.sharedEncryptOptions[${j}].name`, type: 'FieldValueDuplicate', value: opt.name,
        message: `option "${opt.name}" is set in both spec.sharedOptions and spec.sharedEncryptOptions`,
      });
    }
  });

  const mounts: ThinConfigMount[] = [];
  (spec.mounts ?? []).forEach((m, i) => {
    const field = `spec.mounts[${i}]`;
    const plain: Record<string, string> = { ...sharedOptions, ...(m.options ?? {}) };
    const encrypted: Record<string, string> = {};
    const encryptList: { opt: EncryptOption; field: string }[] = [
      ...sharedEncrypt.map((opt, j) => ({ opt, field: `spec.sharedEncryptOptions[${j}]` })),
      ...(m.encryptOptions ?? []).map((opt, j) => ({ opt, field: `${field}.encryptOptions[${j}]` })),
    ];
    for (const { opt, field: f } of encryptList) {
      if (Object.hasOwn(plain, opt.name)) {
        errors.push({
          path: `${f}.name`, type: 'FieldValueDuplicate', value: opt.name,
          message: `option "${opt.name}" of ${field} is set in both options and encryptOptions`,
        });
        continue;
      }
      const p = secretPath(opt, f);
      if (p !== undefined) encrypted[opt.name] = p;
    }
    const options = { ...plain, ...encrypted };
    mounts.push({
      mountPoint: m.mountPoint,
      ...(Object.keys(options).length > 0 ? { options } : {}),
      ...(m.name ? { name: m.name } : {}),
      ...(m.path ? { path: m.path } : {}),
      ...(m.readOnly ? { readOnly: true } : {}),
      ...(m.shared ? { shared: true } : {}),
    });
  });

  if (!input.targetPath.startsWith('/')) {
    errors.push({ path: 'targetPath', type: 'FieldValueInvalid', value: input.targetPath, message: 'expected an absolute path' });
  }
  if (errors.length > 0) return { json: '', config: undefined, secretFiles: [], errors };

  const runtimeOptions = input.runtimeOptions ?? {};
  const config: ThinFuseConfig = {
    mounts,
    targetPath: input.targetPath,
    ...(Object.keys(runtimeOptions).length > 0 ? { runtimeOptions: { ...runtimeOptions } } : {}),
    accessModes: spec.accessModes && spec.accessModes.length > 0 ? [...spec.accessModes] : ['ReadOnlyMany'],
  };
  return { json: JSON.stringify(config), config, secretFiles: [...secretFiles.values()], errors };
}

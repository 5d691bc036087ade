// The parts of Dataset, ThinRuntime and ThinRuntimeProfile that the ThinRuntime engine reads.
// Structural shapes (Fluid's field names), so the API kinds' generated types are assignable to
// them without this module importing the whole kind definitions.

export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Dataset spec.mounts[].encryptOptions[] (and spec.sharedEncryptOptions[]). */
export interface EncryptOption {
  readonly name: string;
  readonly valueFrom: { readonly secretKeyRef: SecretKeyRef };
}

/** Dataset spec.mounts[]. */
export interface DatasetMount {
  readonly mountPoint: string;
  readonly name?: string | undefined;
  readonly path?: string | undefined;
  readonly readOnly?: boolean | undefined;
  readonly shared?: boolean | undefined;
  readonly options?: Readonly<Record<string, string>> | undefined;
  readonly encryptOptions?: readonly EncryptOption[] | undefined;
}

export interface DatasetSpecInput {
  readonly mounts?: readonly DatasetMount[] | undefined;
  readonly sharedOptions?: Readonly<Record<string, string>> | undefined;
  readonly sharedEncryptOptions?: readonly EncryptOption[] | undefined;
  readonly accessModes?: readonly string[] | undefined;
}

/** A container environment variable; only literal values are supported for the local client. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string | undefined;
}

/** ThinRuntimeProfile spec (cluster-scoped). */
export interface ThinProfileSpecInput {
  /** fsType the client's mount shows in /proc/self/mountinfo: "fuse", "fuse.s3fs", "fuse.rclone". */
  readonly fileSystemType: string;
  readonly fuse?: {
    readonly image?: string | undefined;
    readonly imageTag?: string | undefined;
    readonly imagePullPolicy?: string | undefined;
    readonly command?: readonly string[] | undefined;
    readonly args?: readonly string[] | undefined;
    readonly env?: readonly EnvVar[] | undefined;
  } | undefined;
}

/** ThinRuntime spec: the profile reference plus per-runtime FUSE overrides. */
export interface ThinRuntimeSpecInput {
  readonly profileName: string;
  readonly replicas?: number | undefined;
  readonly fuse?: {
    readonly command?: readonly string[] | undefined;
    readonly args?: readonly string[] | undefined;
    readonly env?: readonly EnvVar[] | undefined;
    readonly options?: Readonly<Record<string, string>> | undefined;
  } | undefined;
}

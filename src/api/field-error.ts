/** One invalid field: `path` is the field path, e.g. `spec.mounts[0].mountPoint`. */
export interface FieldError {
  readonly path: string;
  /** Kubernetes cause type, as in a Status body's details.causes[].reason. */
  readonly type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueNotSupported' | 'FieldValueUnknown' | 'FieldValueTooLong';
  readonly value?: unknown;
  readonly message: string;
}

// What the API server needs from the resource-kind layer, injected by the process that wires
// it (apps/controlplane): the kind definitions, admission (defaults + validation) and the
// server-side Table rendering. Keeping them as a port lets the server be tested and built
// independently of how the kinds are defined.
import type { FieldError } from '../../api/field-error.js';
import type { KindDefinition } from '../../api/kind.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export type AdmitResult =
  | { readonly ok: true; readonly object: unknown; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly FieldError[]; readonly warnings: readonly string[] };

/** The `includeObject` query parameter of a Table request. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface KindsPort {
  readonly kinds: readonly KindDefinition[];
  admit(def: KindDefinition, obj: unknown, opts: { fieldValidation: FieldValidation }): AdmitResult;
  /** A meta.k8s.io/v1 Table of `objects`; `now` is used for AGE cells. */
  toTable(def: KindDefinition, objects: readonly unknown[], opts: { now: Date; includeObject: IncludeObject }): Record<string, unknown>;
}

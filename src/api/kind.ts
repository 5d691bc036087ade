// The shape of one resource kind's single source of truth. Every kind served by the
// embedded API server (ours and the core Kubernetes kinds it needs) is described by one
// KindDefinition; the CRD YAML, the TypeScript type (Static<typeof schema>), defaulting,
// semantic validation and the kubectl printer columns are all derived from it.
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from './field-error.js';

export interface PrinterColumn {
  readonly name: string;
  /** OpenAPI type of the cell: "string" | "integer" | "number" | "boolean" | "date". */
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** Simple JSONPath into the object, e.g. ".status.phase". */
  readonly jsonPath: string;
  /** 0 = shown by default, 1 = shown only with `-o wide` (Kubernetes semantics). */
  readonly priority?: 0 | 1;
  readonly description?: string;
  /** OpenAPI format of the cell (Table columnDefinitions[].format), e.g. "int32"; default "". */
  readonly format?: string;
  /**
   * Computed cell for core kinds whose kubectl columns are not a plain JSONPath (Pod READY "1/1",
   * Secret DATA count). When set it wins over jsonPath, which then only documents the source.
   * Must be pure and must not throw; return '' for a missing value. `now` is the table's clock.
   */
  readonly value?: (obj: Record<string, unknown>, now: Date) => string | number;
}

/** Result of semantic validation: errors reject the request, warnings are returned as HTTP Warning headers. */
export interface SemanticResult {
  readonly errors: readonly FieldError[];
  readonly warnings: readonly string[];
}

/** JSON paths (".spec.replicas") of a CRD's scale subresource. */
export interface ScaleSubresource {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

export interface KindDefinition {
  readonly group: string; // '' for the core group
  readonly version: string; // 'v1alpha1', 'v1'
  readonly kind: string; // 'Dataset'
  readonly listKind: string; // 'DatasetList'
  readonly plural: string; // 'datasets'
  readonly singular: string; // 'dataset'
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** Whether the kind has a status subresource (/status). */
  readonly statusSubresource: boolean;
  /** The scale subresource (/scale, autoscaling/v1 Scale), as a CRD's subresources.scale declares it. */
  readonly scaleSubresource?: ScaleSubresource;
  /**
   * Structural OpenAPI v3 schema of the whole object (apiVersion, kind, metadata, spec, status),
   * with `default`s. For core kinds it may be permissive (x-kubernetes-preserve-unknown-fields).
   */
  readonly schema: TSchema;
  /** kubectl columns after NAME; AGE is included explicitly where Fluid shows it. */
  readonly printerColumns: readonly PrinterColumn[];
  /** Semantic checks the schema cannot express. Pure; must not throw on bad input. */
  validate(obj: unknown): SemanticResult;
  /**
   * Optional deletion check: a message when the object may not be deleted now (the API server answers
   * 403 Forbidden with it; on a real cluster the same rule belongs in a validating webhook). Pure.
   */
  validateDelete?(obj: unknown): string | undefined;
  /**
   * Optional canonicalisation applied by admission after defaulting and before validation, on a
   * private copy (Secret: stringData folds into base64 data). Pure; must not throw.
   */
  normalize?(obj: Record<string, unknown>): Record<string, unknown>;
  /**
   * Top-level fields whose values are secret (Secret: data, stringData). Admission never echoes a
   * value found at or under them: such errors carry the value "[redacted]".
   */
  readonly secretFields?: readonly string[];
}

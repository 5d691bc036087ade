// Typed errors shared by every layer. A caller that can handle a failure matches on the
// class (or `code`); everything else is an invariant violation and uses `assert`.

export class FluidError extends Error {
  /** Stable machine-readable code, e.g. "Invalid", "NotFound". */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad command-line usage. */
export class UsageError extends FluidError {
  constructor(message: string) {
    super('Usage', message);
  }
}

import type { FieldError } from '../api/field-error.js';
export type { FieldError };

/** A resource failed validation; carries every field error found. */
export class ValidationError extends FluidError {
  readonly fieldErrors: readonly FieldError[];
  constructor(fieldErrors: readonly FieldError[], what = 'object') {
    super('Invalid', `${what} is invalid: ${fieldErrors.map(formatFieldError).join(', ')}`);
    this.fieldErrors = fieldErrors;
  }
}

/** Formats like Kubernetes: `spec.x: Invalid value: "v": message`. */
export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return `${e.path}: Required value${e.message ? `: ${e.message}` : ''}`;
    case 'FieldValueDuplicate':
      return `${e.path}: Duplicate value: ${JSON.stringify(e.value)}`;
    case 'FieldValueNotSupported':
      return `${e.path}: Unsupported value: ${JSON.stringify(e.value)}${e.message ? `: ${e.message}` : ''}`;
    case 'FieldValueUnknown':
      return `${e.path}: ${e.message || 'unknown field'}`;
    case 'FieldValueTooLong':
      return `${e.path}: Too long: ${e.message}`;
    case 'FieldValueInvalid':
      return `${e.path}: Invalid value: ${JSON.stringify(e.value)}: ${e.message}`;
  }
}

/** Thrown when a broken invariant is detected: a bug, never a user error. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = 'AssertionError';
  }
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new AssertionError(message);
}

// Semantic checks shared by the kinds. Each takes the value found at `path` (anything: input
// may be garbage that already failed the schema) and pushes FieldErrors; none throws.
import type { FieldError } from '../../field-error.js';
import { parseQuantity, InvalidQuantityError, type ParseQuantityOptions } from '../../quantity.js';
import { findMountScheme, mountPointScheme, mountSchemes, parseDatasetReference } from '../mount-schemes.js';
import { mountPathError } from '../mount-paths.js';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Value at a property chain, or undefined when any step is missing or not an object. */
export function dig(obj: unknown, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

const DNS1035_MAX = 63;
const DNS1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** metadata.name must be a DNS-1035 label (as Fluid requires of datasets and runtimes). */
export function checkDns1035Name(obj: unknown, errors: FieldError[]): void {
  const name = dig(obj, 'metadata', 'name');
  if (typeof name !== 'string' || name === '') return; // absence is admission's metadata check
  if (name.length > DNS1035_MAX) {
    errors.push({ path: 'metadata.name', type: 'FieldValueInvalid', value: name, message: `must be no more than ${DNS1035_MAX} characters` });
  }
  if (!DNS1035_RE.test(name)) errors.push({ path: 'metadata.name', type: 'FieldValueInvalid', value: name, message: DNS1035_MSG });
}

/** A quantity (string or integer) at `path`; undefined is fine. */
export function checkQuantity(value: unknown, path: string, errors: FieldError[], opts: ParseQuantityOptions = {}): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined; // schema reports the type
  try {
    return parseQuantity(value, opts);
  } catch (e) {
    const reason = e instanceof InvalidQuantityError ? e.reason : 'must be a quantity';
    errors.push({ path, type: 'FieldValueInvalid', value, message: `quantity ${reason}` });
    return undefined;
  }
}

/** A fraction written as a string ("0.95"); returns it, or pushes an error. */
function checkFraction(value: unknown, path: string, errors: FieldError[]): number | undefined {
  if (value === undefined || typeof value !== 'string') return undefined;
  const n = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    errors.push({ path, type: 'FieldValueInvalid', value, message: 'must be a decimal number between 0 and 1, e.g. "0.95"' });
    return undefined;
  }
  return n;
}

/**
 * spec.tieredstore.levels[i]: quota / quotaList parse, and 0 <= low <= high <= 1.
 * `plainNumberUnit` is 2**20 for JuiceFS (plain quota numbers are MiB).
 */
export function checkTieredStore(spec: unknown, errors: FieldError[], opts: ParseQuantityOptions = {}): void {
  asArray(dig(spec, 'tieredstore', 'levels')).forEach((level, i) => {
    const base = `spec.tieredstore.levels[${i}]`;
    checkQuantity(dig(level, 'quota'), `${base}.quota`, errors, opts);
    const quotaList = dig(level, 'quotaList');
    if (typeof quotaList === 'string') {
      quotaList.split(',').forEach((q) => {
        checkQuantity(q.trim(), `${base}.quotaList`, errors, opts);
      });
    }
    const high = checkFraction(dig(level, 'high'), `${base}.high`, errors);
    const low = checkFraction(dig(level, 'low'), `${base}.low`, errors);
    if (high !== undefined && low !== undefined && low > high) {
      errors.push({ path: `${base}.low`, type: 'FieldValueInvalid', value: dig(level, 'low'), message: `must not be greater than high (${String(dig(level, 'high'))})` });
    }
  });
}

/** Supported schemes as printed in errors: "cephfs://, cubefs://, ...". */
export function supportedSchemesText(): string {
  return mountSchemes.map((s) => `${s.scheme}://`).join(', ');
}

/** Every spec.mounts[i]: supported scheme; names unique. */
export function checkMounts(spec: unknown, errors: FieldError[]): void {
  const seen = new Map<string, number>();
  asArray(dig(spec, 'mounts')).forEach((mount, i) => {
    const mp = dig(mount, 'mountPoint');
    if (typeof mp === 'string') {
      const scheme = mountPointScheme(mp);
      if (scheme === 'pvc' && !/^pvc:\/\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?(\/.*)?$/i.test(mp)) {
        errors.push({ path: `spec.mounts[${i}].mountPoint`, type: 'FieldValueInvalid', value: mp, message: 'expected pvc://<claim name>[/<path>] with a DNS-1123 claim name' });
      }
      if (scheme === 'dataset') {
        if (!parseDatasetReference(mp)) errors.push({ path: `spec.mounts[${i}].mountPoint`, type: 'FieldValueInvalid', value: mp, message: 'expected dataset://<namespace>/<dataset name>' });
        if (asArray(dig(spec, 'mounts')).length !== 1) errors.push({ path: `spec.mounts[${i}].mountPoint`, type: 'FieldValueInvalid', value: mp, message: 'a dataset:// reference must be the dataset\'s only mount' });
      }
      if (scheme === undefined || findMountScheme(scheme) === undefined) {
        errors.push({
          path: `spec.mounts[${i}].mountPoint`,
          type: 'FieldValueInvalid',
          value: mp,
          message: `${scheme === undefined ? 'no scheme' : `scheme "${scheme}" is not supported`}; supported schemes: ${supportedSchemesText()}`,
        });
      }
    }
    const path = dig(mount, 'path');
    const placements = asArray(dig(spec, 'mounts')).map((x, j) => ({ name: typeof dig(x, 'name') === 'string' ? String(dig(x, 'name')) : `mount-${j}`, path: typeof dig(x, 'path') === 'string' ? String(dig(x, 'path')) : undefined }));
    const pathError = typeof path === 'string' ? mountPathError(placements, i) : undefined;
    if (pathError) errors.push({ path: `spec.mounts[${i}].path`, type: 'FieldValueInvalid', value: path, message: pathError });
    const name = dig(mount, 'name');
    if (typeof name === 'string' && name !== '') {
      if (seen.has(name)) errors.push({ path: `spec.mounts[${i}].name`, type: 'FieldValueDuplicate', value: name, message: '' });
      else seen.set(name, i);
    }
  });
}

/** An even master.replicas cannot form a better Raft quorum than one fewer: warn. */
export function checkMasterReplicas(spec: unknown, warnings: string[]): void {
  const r = dig(spec, 'master', 'replicas');
  if (typeof r === 'number' && Number.isInteger(r) && r > 0 && r % 2 === 0) {
    warnings.push(`spec.master.replicas: ${r} is even; use an odd number (1, 3 or 5) so the Raft journal keeps a quorum with fewer masters`);
  }
}

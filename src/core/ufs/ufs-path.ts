// Normalisation of paths inside one mount. Every connector normalises its input with
// normalizeUfsPath before touching storage, so "a//b/", "/a/./b" and "/a/b" name the same entry
// and no path can escape the mount root.
import { UfsInvalidPathError } from './ufs-errors.js';
import type { UfsPath } from './ufs.js';

/**
 * Returns the canonical form: leading "/", no trailing "/" (except the root), no empty or "."
 * segments. Throws UfsInvalidPathError for "..", NUL bytes or a non-string.
 */
export function normalizeUfsPath(path: string): UfsPath {
  if (typeof path !== 'string') throw new UfsInvalidPathError(String(path), 'expected a string');
  if (path.includes('\0')) throw new UfsInvalidPathError(path, 'contains a NUL byte');
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') throw new UfsInvalidPathError(path, '".." segments are not allowed');
    segments.push(seg);
  }
  return `/${segments.join('/')}`;
}

/** The path's segments without the leading "/": "/" -> [], "/a/b" -> ["a", "b"]. */
export function ufsPathSegments(path: UfsPath): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** Joins a normalised directory path and a child base name. */
export function joinUfsPath(dir: UfsPath, name: string): UfsPath {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Base name of a normalised path ("" for the root). */
export function ufsBaseName(path: UfsPath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Validates a read range: offset and length are non-negative safe integers (bytes). */
export function checkReadRange(path: UfsPath, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new UfsInvalidPathError(path, `read offset must be a non-negative integer, got ${offset}`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new UfsInvalidPathError(path, `read length must be a non-negative integer, got ${length}`);
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReadRange, joinUfsPath, normalizeUfsPath, ufsBaseName } from '../../../src/core/ufs/ufs-path.js';
import { UfsInvalidPathError } from '../../../src/core/ufs/ufs-errors.js';

test('GIVEN equivalent spellings WHEN normalised THEN they give one canonical path', () => {
  for (const p of ['a/b', '/a/b', '/a//b/', './a/./b', '//a/b//']) assert.equal(normalizeUfsPath(p), '/a/b');
  assert.equal(normalizeUfsPath(''), '/');
  assert.equal(normalizeUfsPath('/'), '/');
});

test('GIVEN a path with ".." or NUL WHEN normalised THEN UfsInvalidPathError names it', () => {
  assert.throws(() => normalizeUfsPath('/a/../../etc/passwd'), (e: unknown) => e instanceof UfsInvalidPathError && /\.\./.test(e.message));
  assert.throws(() => normalizeUfsPath('/a\0b'), UfsInvalidPathError);
});

test('GIVEN a directory and a name WHEN joined THEN the result is normalised', () => {
  assert.equal(joinUfsPath('/', 'x'), '/x');
  assert.equal(joinUfsPath('/a', 'x'), '/a/x');
  assert.equal(ufsBaseName('/a/x'), 'x');
});

test('GIVEN negative or fractional offsets WHEN checked THEN the read is refused', () => {
  assert.throws(() => checkReadRange('/f', -1, 1), /offset/);
  assert.throws(() => checkReadRange('/f', 0, 1.5), /length/);
  checkReadRange('/f', 0, 0);
});

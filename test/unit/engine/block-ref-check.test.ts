import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BlockRef } from '../../../src/api/engine-rpc.js';
import { blockIdOf, blockRefProblem, isCleanFilePath } from '../../../src/core/blockstore/block-id.js';

const MiB = 1024 * 1024;
const good: BlockRef = {
  blockId: blockIdOf('hbase', '/f2.bin', 'etag-2', 16 * MiB, 1), mount: 'hbase', ufsPath: '/f2.bin', fingerprint: 'etag-2',
  blockSize: 16 * MiB, offset: 16 * MiB, length: 16 * MiB,
};

test('GIVEN a block request whose id is derived from its own fields WHEN checked THEN it is accepted', () => {
  assert.equal(blockRefProblem(good), undefined);
  assert.equal(blockRefProblem({ ...good, blockId: blockIdOf('hbase', '/f2.bin', 'etag-2', 16 * MiB, 2), offset: 32 * MiB, length: 100 }), undefined);
});

// Each row changes one field of a valid request; the id no longer fits, or the geometry is wrong.
const rejected: [string, Partial<BlockRef>, RegExp][] = [
  ['the id of another file (f2 block 1) with f3 as path', { ufsPath: '/f3.bin' }, /^ufsPath.*blockId|^blockId: does not match/],
  ['another fingerprint', { fingerprint: 'etag-3' }, /^blockId: does not match/],
  ['another mount', { mount: 'other' }, /^blockId: does not match/],
  ['another block index', { offset: 32 * MiB }, /^blockId: does not match/],
  ['another block size', { blockSize: 8 * MiB, length: 8 * MiB }, /^blockId: does not match/],
  ['an offset off the block grid', { offset: 16 * MiB + 1 }, /^offset: expected a multiple of the block size/],
  ['a length beyond one block', { length: 99_999_999_999 }, /^length: expected 1\.\.16777216/],
  ['a zero length', { length: 0 }, /^length: expected 1\./],
  ['a block size below the minimum', { blockSize: 100, length: 100, offset: 0 }, /^blockSize: expected an integer 4096\./],
  ['a block size above the maximum', { blockSize: 4 * 1024 * MiB }, /^blockSize: expected an integer/],
  ['a ".." path', { ufsPath: '/../etc/passwd' }, /^ufsPath: expected an absolute file path/],
  ['a relative path', { ufsPath: 'f2.bin' }, /^ufsPath: expected an absolute file path/],
  ['the root', { ufsPath: '/' }, /^ufsPath: expected an absolute file path/],
];

for (const [what, change, message] of rejected) {
  test(`GIVEN a block request with ${what} WHEN checked THEN it is refused naming the field`, () => {
    const problem = blockRefProblem({ ...good, ...change });
    assert.ok(problem, 'refused');
    assert.match(problem, message);
  });
}

test('GIVEN query-parameter names WHEN a field is wrong THEN the message names the parameter', () => {
  const names: Record<keyof BlockRef, string> = { blockId: 'id', mount: 'mount', ufsPath: 'path', fingerprint: 'fingerprint', blockSize: 'blockSize', offset: 'offset', length: 'length' };
  assert.match(blockRefProblem({ ...good, ufsPath: '/a/../b' }, (f) => names[f]) ?? '', /^path: /);
});

test('GIVEN any request whose id was derived from other fields WHEN checked THEN it is refused (property)', () => {
  const ref = fc.record({
    mount: fc.constantFrom('a', 'b'), ufsPath: fc.constantFrom('/x', '/y/z'), fingerprint: fc.constantFrom('', 'e1', 'e2'),
    blockSize: fc.constantFrom(4096, 8192), index: fc.nat(3),
  });
  fc.assert(fc.property(ref, ref, (a, b) => {
    const req: BlockRef = { blockId: blockIdOf(b.mount, b.ufsPath, b.fingerprint, b.blockSize, b.index), mount: a.mount, ufsPath: a.ufsPath, fingerprint: a.fingerprint, blockSize: a.blockSize, offset: a.index * a.blockSize, length: a.blockSize };
    const same = a.mount === b.mount && a.ufsPath === b.ufsPath && a.fingerprint === b.fingerprint && a.blockSize === b.blockSize && a.index === b.index;
    return (blockRefProblem(req) === undefined) === same;
  }), { seed: 18, numRuns: 2000 });
});

test('GIVEN file paths WHEN checked for cleanliness THEN only absolute paths without empty, "." or ".." segments pass', () => {
  for (const p of ['/a', '/a/b.bin', '/a.b/..c']) assert.equal(isCleanFilePath(p), true, p);
  for (const p of ['', 'a', '/', '//a', '/a/', '/a/./b', '/a/../b', '/..']) assert.equal(isCleanFilePath(p), false, p);
});

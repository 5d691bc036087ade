import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockFileProblem, isUnderDirs, namedPathProblem, normalizeAbsolute } from '../../../src/core/fuse/short-circuit-check.js';

const tiers = ['/dev/shm/fluid-1/hbase-worker-0', '/root/.fluid/cache/default/hbase/ssd/hbase-worker-0'];

const under: [string, boolean][] = [
  ['/dev/shm/fluid-1/hbase-worker-0/ab/abcdef.blk', true],
  ['/root/.fluid/cache/default/hbase/ssd/hbase-worker-0/x.blk', true],
  ['/dev/shm/fluid-1/hbase-worker-0', false], // the directory itself is not a block file
  ['/dev/shm/fluid-1/hbase-worker-01/x.blk', false], // a sibling that shares the prefix
  ['/dev/shm/fluid-1/hbase-worker-0/../../../../root/secret', false],
  ['/dev/shm/fluid-1/hbase-worker-0/a/../x.blk', true], // stays inside after resolution
  ['/root/secret', false],
  ['relative/x.blk', false],
  ['/../dev/shm/fluid-1/hbase-worker-0/x.blk', false],
];

for (const [path, want] of under) {
  test(`GIVEN the path ${path} WHEN checked against the worker's tier dirs THEN it is ${want ? 'accepted' : 'refused'}`, () => {
    assert.equal(isUnderDirs(path, tiers), want);
  });
}

test('GIVEN no declared tier dirs WHEN any path is checked THEN it is refused', () => {
  assert.equal(isUnderDirs('/dev/shm/x', []), false);
});

test('GIVEN paths WHEN normalised THEN "." and ".." resolve lexically and climbing above / is undefined', () => {
  assert.equal(normalizeAbsolute('/a//b/./c/../d'), '/a/b/d');
  assert.equal(normalizeAbsolute('/'), '/');
  assert.equal(normalizeAbsolute('/..'), undefined);
  assert.equal(normalizeAbsolute('a/b'), undefined);
});

test('GIVEN worker-named paths WHEN checked before resolution THEN relative ones and "." / ".." segments are refused', () => {
  assert.equal(namedPathProblem('/dev/shm/x.blk'), undefined);
  assert.match(namedPathProblem('x.blk') ?? '', /not an absolute path/);
  assert.match(namedPathProblem('/dev/shm/w/../../root/secret') ?? '', /"\." or "\.\." segments/);
});

const file = { isFile: true, uid: 0, mode: 0o100644, size: 16 };
const facts: [string, Partial<typeof file>, RegExp | undefined][] = [
  ['a regular 0644 file of the worker\'s uid and the block\'s size', {}, undefined],
  ['a 0600 file of the worker', { mode: 0o100600 }, undefined],
  ['a directory', { isFile: false }, /not a regular file/],
  ['a file of another uid (root-only file, worker runs as 65534)', { uid: 65534 }, /owned by uid 65534, not by the worker's uid 0/],
  ['a group-writable file', { mode: 0o100664 }, /mode 0664 is group- or world-writable/],
  ['a world-writable file', { mode: 0o100646 }, /mode 0646 is group- or world-writable/],
  ['a shorter file', { size: 15 }, /15 bytes, expected the block's 16/],
  ['a longer file', { size: 17 }, /17 bytes/],
];

for (const [what, change, refusal] of facts) {
  test(`GIVEN ${what} WHEN checked before mapping THEN it is ${refusal ? 'refused' : 'accepted'}`, () => {
    const problem = blockFileProblem({ ...file, ...change }, { uid: 0, length: 16 });
    if (refusal) assert.match(problem ?? '', refusal);
    else assert.equal(problem, undefined);
  });
}

test('GIVEN a worker that declared no uid (-1) WHEN any file is checked THEN it is refused', () => {
  assert.match(blockFileProblem(file, { uid: -1, length: 16 }) ?? '', /owned by uid 0/);
});

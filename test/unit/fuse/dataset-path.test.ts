import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDatasetPath } from '../../../src/core/fuse/dataset-path.js';
import { TtlCache } from '../../../src/core/fuse/ttl-cache.js';

const mounts = new Set(['hbase', 'spark']);

test('GIVEN mount paths WHEN resolved THEN the first component names the mount and the rest is the UFS path', () => {
  assert.deepEqual(resolveDatasetPath('/', mounts), { kind: 'root' });
  assert.deepEqual(resolveDatasetPath('/hbase', mounts), { kind: 'mount', mount: 'hbase', ufsPath: '/' });
  assert.deepEqual(resolveDatasetPath('/hbase/a/b.tar.gz', mounts), { kind: 'mount', mount: 'hbase', ufsPath: '/a/b.tar.gz' });
  assert.equal(resolveDatasetPath('/other/x', mounts), undefined);
});

test('GIVEN a ttl cache WHEN time passes the ttl THEN the entry is gone, and the oldest entry is dropped at capacity', () => {
  const c = new TtlCache<string, number>(1000, 2);
  c.set('a', 1, 0);
  assert.equal(c.get('a', 999), 1);
  assert.equal(c.get('a', 1000), undefined);
  c.set('a', 1, 0); c.set('b', 2, 0); c.set('c', 3, 0);
  assert.equal(c.get('a', 1), undefined);
  assert.equal(c.get('c', 1), 3);
  assert.equal(c.size, 2);
});

import { DatasetLayout } from '../../../src/core/fuse/dataset-path.js';
import { mountPathError } from '../../../src/api/kinds/mount-paths.js';

test('GIVEN a single mount with path "/" THEN it is the dataset root: "/" is the mount root and files sit directly under it', () => {
  const l = new DatasetLayout([{ name: 'demo', path: '/' }]);
  assert.equal(l.mountAtRoot, true);
  assert.deepEqual(l.resolve('/'), { kind: 'mount', mount: 'demo', ufsPath: '/' });
  assert.deepEqual(l.resolve('/CHANGES.md'), { kind: 'mount', mount: 'demo', ufsPath: '/CHANGES.md' });
  assert.equal(l.datasetPath('demo', '/a/b'), '/a/b');
});

test('GIVEN mounts without path or with "/<dir>" THEN each appears under its directory ("/<name>" by default)', () => {
  const l = new DatasetLayout([{ name: 'hbase' }, { name: 'spark', path: '/data' }]);
  assert.deepEqual(l.rootEntries(), ['hbase', 'data']);
  assert.deepEqual(l.resolve('/'), { kind: 'root' });
  assert.deepEqual(l.resolve('/data/x'), { kind: 'mount', mount: 'spark', ufsPath: '/x' });
  assert.equal(l.resolve('/spark/x'), undefined);
  assert.equal(l.datasetPath('spark', '/'), '/data');
  assert.equal(l.datasetPath('hbase', '/f'), '/hbase/f');
});

test('GIVEN Fluid\'s path rules THEN "/" is refused with two mounts, nested, relative and clashing paths are refused, each naming what is expected', () => {
  assert.equal(mountPathError([{ name: 'a', path: '/' }], 0), undefined);
  assert.match(mountPathError([{ name: 'a', path: '/' }, { name: 'b' }], 0) ?? '', /allowed only when the dataset has a single mount/);
  assert.match(mountPathError([{ name: 'a', path: '/x/y' }], 0) ?? '', /nested mount paths are not supported/);
  assert.match(mountPathError([{ name: 'a', path: 'x' }], 0) ?? '', /absolute path/);
  assert.match(mountPathError([{ name: 'a', path: '/b' }, { name: 'b' }], 0) ?? '', /spec\.mounts\[1\]/);
  assert.equal(mountPathError([{ name: 'a' }, { name: 'b', path: '/c' }], 1), undefined);
});

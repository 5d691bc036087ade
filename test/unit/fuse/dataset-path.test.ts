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

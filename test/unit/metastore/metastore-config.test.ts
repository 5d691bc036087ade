import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetastoreConfigError, metastoreConfig } from '../../../src/adapters/metastore/metastore-config.js';

test('GIVEN no metastore property WHEN the config is read THEN HEAP is used and the directory defaults under the journal', () => {
  assert.deepEqual(metastoreConfig({}, '/j'), { kind: 'HEAP', dir: '/j/metastore' });
});

test('GIVEN Alluxio ROCKS or Fluid SQLITE (any case) WHEN the config is read THEN the SQLite store is chosen with the given directory', () => {
  assert.deepEqual(metastoreConfig({ 'alluxio.master.metastore': 'ROCKS', 'alluxio.master.metastore.dir': '/m' }, '/j'), { kind: 'SQLITE', dir: '/m' });
  assert.deepEqual(metastoreConfig({ 'fluid.master.metastore': ' sqlite ' }, '/j'), { kind: 'SQLITE', dir: '/j/metastore' });
  assert.deepEqual(metastoreConfig({ 'fluid.master.metastore': 'HEAP', 'alluxio.master.metastore': 'ROCKS' }, '/j').kind, 'HEAP');
});

test('GIVEN an unknown metastore value WHEN the config is read THEN a MetastoreConfigError names the property and the accepted values', () => {
  assert.throws(() => metastoreConfig({ 'alluxio.master.metastore': 'CASSANDRA' }, '/j'), (e: unknown) => e instanceof MetastoreConfigError
    && e.message === 'property alluxio.master.metastore: expected one of HEAP, SQLITE, ROCKS, got "CASSANDRA"');
  assert.throws(() => metastoreConfig({ 'fluid.master.metastore.dir': ' ' }, '/j'), /property fluid\.master\.metastore\.dir: expected a directory path/);
});

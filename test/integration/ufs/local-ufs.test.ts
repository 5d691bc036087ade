import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createUfs } from '../../../src/adapters/ufs/create-ufs.js';
import { UfsConfigError, UfsInvalidPathError } from '../../../src/core/ufs/ufs-errors.js';
import { tempDir } from '../../support/proc.js';
import { runConformance } from './support/conformance.js';
import { dirStorage, writeFixtureDir } from './support/fixture-dir.js';

test('local:// connector', async (t) => {
  const root = tempDir(t, 'fluid-ufs-local-');
  writeFixtureDir(root);
  spawnSync('mkfifo', [`${root}/dir/pipe`]); // not a file or directory: must not be listed
  const ufs = createUfs({ name: 'm', mountPoint: `local://${root}`, options: {}, encryptOptionFiles: {} });
  t.after(() => ufs.close());
  await runConformance(t, ufs, dirStorage(root));

  await t.test('GIVEN a bare absolute path WHEN used as mount point THEN it is the same local connector', async () => {
    const bare = createUfs({ name: 'm', mountPoint: root, options: {}, encryptOptionFiles: {} });
    assert.equal((await bare.stat('/a.bin')).kind, 'file');
  });

  await t.test('GIVEN a path escaping the mount or a directory read WHEN called THEN UfsInvalidPathError', async () => {
    await assert.rejects(ufs.read('/../etc/passwd', 0, 10), UfsInvalidPathError);
    await assert.rejects(ufs.read('/dir', 0, 10), UfsInvalidPathError);
    await assert.rejects(ufs.list('/a.bin'), UfsInvalidPathError);
  });

  await t.test('GIVEN an unknown scheme WHEN creating a UFS THEN UfsConfigError', () => {
    assert.throws(() => createUfs({ name: 'm', mountPoint: 'hdfs://nn:8020/x', options: {}, encryptOptionFiles: {} }), UfsConfigError);
  });
});

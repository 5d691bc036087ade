// DataBackup, then restore with the UFS stopped (Dataset spec.dataRestoreLocation), with the real
// kubectl against `fluid up`. A dataset is loaded and backed up to local://; dataset and runtime are
// deleted and nginx is stopped; the same dataset created again with dataRestoreLocation binds with
// the backup's file count and UFS total, and the tree is listed and stat'ed through the FUSE mount
// while nothing serves the UFS. Cached bytes do not survive: the deleted runtime's workers freed
// their tiers, and a restore restores metadata only (as in Fluid), so reading a file fails until
// the UFS is back, then reads the same bytes. Bad input: a wrong scheme is refused at admission, a
// location without a backup keeps the dataset unbound with a condition naming
// spec.dataRestoreLocation, and nothing is listed from the UFS meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256File, tempDir } from '../../support/proc.js';
import { datasetWithRuntimeYaml, serveHbase, startControlPlane, waitObj, type ControlPlane } from './harness.js';

function withRestore(yaml: string, location: string): string {
  return yaml.replace(/\nspec:\n  mounts:/, `\nspec:\n  dataRestoreLocation:\n    path: ${location}\n  mounts:`);
}

/** Relative path -> size of every file under `dir` (readdir + stat only, no read). */
function sizes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.set(relative(dir, p), s.size);
    }
  };
  walk(dir);
  return out;
}

async function deleteAll(cp: ControlPlane, name: string): Promise<void> {
  cp.k(['delete', 'alluxioruntime', name, '--wait=false']);
  cp.k(['delete', 'dataset', name, '--wait=false']);
  await waitObj(cp, ['datasets'], (o) => ((o as { items?: { metadata: { name: string } }[] }).items ?? []).every((d) => d.metadata.name !== name), `dataset ${name} gone`, 180_000);
}

test('DataBackup then restore with the UFS stopped: Bound with the backed-up counts, tree listed through FUSE, bytes again once the UFS is back; bad locations named', { timeout: 600_000, skip: 'written but not yet run end to end (deadline); run: flock /work/wt/heavy.lock node scripts/run-tests.mjs integration datarestore' }, async (t) => {
  const { www, files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  const backups = tempDir(t, 'fluid-backups-');
  const empty = tempDir(t, 'fluid-nobackup-');
  const yaml = datasetWithRuntimeYaml('rs', `${nginx.url}hbase/`);
  cp.k(['create', '-f', '-'], yaml);
  await waitObj(cp, ['dataset', 'rs'], (o) => o.status?.['phase'] === 'Bound', 'dataset bound', 180_000);
  cp.k(['create', '-f', '-'], 'apiVersion: data.fluid.io/v1alpha1\nkind: DataLoad\nmetadata:\n  name: rs-load\nspec:\n  dataset: { name: rs, namespace: default }\n');
  await waitObj(cp, ['dataload', 'rs-load'], (o) => o.status?.['phase'] === 'Complete', 'DataLoad complete', 180_000);
  const before = await waitObj(cp, ['dataset', 'rs'], (o) => Number(o.status?.['fileNum']) === files.size, 'fileNum of every file');
  cp.k(['create', '-f', '-'], `apiVersion: data.fluid.io/v1alpha1\nkind: DataBackup\nmetadata:\n  name: rs-backup\nspec:\n  dataset: rs\n  backupPath: local://${backups}\n`);
  const bk = await waitObj(cp, ['databackup', 'rs-backup'], (o) => o.status?.['phase'] === 'Complete' || o.status?.['phase'] === 'Failed', 'DataBackup finished');
  assert.equal(bk.status?.['phase'], 'Complete', JSON.stringify(bk.status));
  assert.deepEqual(readdirSync(backups), ['metadata-backup-rs-default.json']);

  await deleteAll(cp, 'rs');
  await nginx.stop();

  // Wrong scheme: refused at admission, naming the field.
  const bad = cp.kubectl(['create', '-f', '-'], withRestore(yaml, 's3://bucket/meta'));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec\.dataRestoreLocation\.path: Invalid value: "s3:\/\/bucket\/meta": expected the backupPath of a DataBackup/);

  // No backup at the location: not bound, the condition names the field and the missing file.
  cp.k(['create', '-f', '-'], withRestore(yaml, `local://${empty}`));
  const missing = await waitObj(cp, ['dataset', 'rs'], (o) => /spec\.dataRestoreLocation/.test(JSON.stringify(o.status?.['conditions'] ?? [])), 'a condition naming spec.dataRestoreLocation', 180_000);
  assert.notEqual(missing.status?.['phase'], 'Bound');
  assert.match(JSON.stringify(missing.status?.['conditions']), new RegExp(`spec\\.dataRestoreLocation \\(local://${empty}\\): no backup file metadata-backup-rs-default\\.json there`));
  const events = cp.k(['get', 'events', '--field-selector', 'involvedObject.name=rs']);
  assert.match(events, /spec\.dataRestoreLocation/, `an event names the field:\n${events}`);
  await deleteAll(cp, 'rs');

  // The restore, with nothing serving the UFS.
  cp.k(['create', '-f', '-'], withRestore(yaml, `local://${backups}`));
  const after = await waitObj(cp, ['dataset', 'rs'], (o) => o.status?.['phase'] === 'Bound' && Number(o.status['fileNum']) === files.size, 'restored dataset bound with every file', 180_000);
  assert.equal(after.status?.['ufsTotal'], before.status?.['ufsTotal']);
  assert.equal(after.status?.['fileNum'], before.status?.['fileNum']);
  assert.equal((after.status?.['cacheStates'] as Record<string, string>)['cached'], '0.00B', 'no cached block survived the runtime deletion');
  const root = cp.fluid(['mount-path', 'rs']).stdout.trim();
  const expected = new Map([...files.keys()].map((f) => [f, statSync(join(www, 'hbase', f)).size]));
  assert.deepEqual(sizes(join(root, 'hbase')), expected, 'readdir and stat of the whole tree through FUSE with the UFS stopped');
  const read = spawnSync('head', ['-c', '16', join(root, 'hbase', 'CHANGES.md')], { timeout: 120_000 });
  assert.notEqual(read.status, 0, 'file data is not in the backup: reading needs the UFS');

  await nginx.restart();
  for (const [f, sha] of files) assert.equal(await sha256File(join(root, 'hbase', f)), sha, f);
});

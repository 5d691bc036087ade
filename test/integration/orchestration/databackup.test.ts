// DataBackup with the real kubectl against `fluid up`: the master's metadata (namespace + worker block
// map, one consistent snapshot) is written to a PVC path as a 0600 file; a backup to a PVC that does
// not exist fails naming spec.backupPath and writes nothing; a malformed backupPath is refused at
// admission. Restoring a runtime from the backup (Dataset spec.dataRestoreLocation) is not implemented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../../support/proc.js';
import { condition, datasetWithRuntimeYaml, serveHbase, startControlPlane, waitObj } from './harness.js';

function backup(name: string, path: string): string {
  return `
---
apiVersion: data.fluid.io/v1alpha1
kind: DataBackup
metadata:
  name: ${name}
spec:
  dataset: bk
  backupPath: ${path}
`;
}

test('DataBackup: metadata and block map to pvc://<claim>/<path>; a missing PVC fails naming spec.backupPath', { timeout: 300_000 }, async (t) => {
  const { files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], `${datasetWithRuntimeYaml('bk', `${nginx.url}hbase/`)}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: backups
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
`);
  await waitObj(cp, ['dataset', 'bk'], (o) => o.status?.['phase'] === 'Bound', 'dataset bound', 180_000);
  const root = cp.fluid(['mount-path', 'bk']).stdout.trim();
  assert.equal(await sha256File(join(root, 'hbase', 'CHANGES.md')), files.get('CHANGES.md'));
  await waitObj(cp, ['dataset', 'bk'], (o) => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cached'] !== '0.00B', 'a block cached');

  cp.k(['create', '-f', '-'], backup('bk-meta', 'pvc://backups/meta'));
  const done = await waitObj(cp, ['databackup', 'bk-meta'], (o) => o.status?.['phase'] === 'Complete' || o.status?.['phase'] === 'Failed', 'DataBackup finished');
  assert.equal(done.status?.['phase'], 'Complete', JSON.stringify(done.status));
  const file = join(cp.home, 'volumes', 'default', 'backups', 'meta', 'metadata-backup-bk-default.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const b = JSON.parse(readFileSync(file, 'utf8')) as { format: string; version: number; files: number; workers: number; snapshot: { namespace: unknown; workers: unknown } };
  assert.equal(b.format, 'fluid-ts.master-metadata');
  assert.equal(b.version, 1);
  assert.equal(b.files, files.size);
  assert.equal(b.workers, 1);
  assert.match(JSON.stringify(b.snapshot.workers), /"id":"bk-worker-0".*"blocks":\[\["[0-9a-f]{32}","MEM"\]/, 'the worker block map is in the backup');
  assert.deepEqual(readdirSync(join(cp.home, 'volumes', 'default', 'backups', 'meta')), ['metadata-backup-bk-default.json'], 'no temp file left');
  const table = cp.k(['get', 'databackup', 'bk-meta']);
  assert.match(table, /^NAME\s+DATASET\s+PHASE\s+PATH\s+NODENAME\s+DURATION\s+AGE\nbk-meta\s+bk\s+Complete\s+pvc:\/\/backups\/meta\/metadata-backup-bk-default\.json\s+NA\s+/);

  cp.k(['create', '-f', '-'], backup('bk-nopvc', 'pvc://nope/meta'));
  const failed = await waitObj(cp, ['databackup', 'bk-nopvc'], (o) => o.status?.['phase'] === 'Failed' || o.status?.['phase'] === 'Complete', 'DataBackup to a missing PVC finished');
  assert.equal(failed.status?.['phase'], 'Failed');
  assert.equal(condition(failed, 'Failed')?.message, 'spec.backupPath: PersistentVolumeClaim default/nope does not exist');
  assert.equal(existsSync(join(cp.home, 'volumes', 'default', 'nope')), false);

  const bad = cp.kubectl(['create', '-f', '-'], backup('bk-bad', 's3://bucket/x'));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec\.backupPath: Invalid value: "s3:\/\/bucket\/x": expected pvc:\/\/<claim name>\/<path> or local:\/\/\/<absolute path>/);
});

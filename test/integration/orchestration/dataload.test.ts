// DataLoad policy Once end to end: Pending until the dataset is bound, then Executing ->
// Complete with progress (bytes, files) and a duration; the dataset shows 100.0% cached without
// any read through the mount. Cron fire times are unit-tested with a fake clock
// (test/unit/reconcile/cron-dataload.test.ts): a real 1-minute schedule costs minutes here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sha256File, waitFor } from '../../support/proc.js';
import { condition, serveHbase, startControlPlane, waitObj } from './harness.js';

test('DataLoad Once: Pending before the runtime, then Complete with progress, dataset 100.0% cached', { timeout: 300_000 }, async (t) => {
  const { files: files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: Dataset
metadata:
  name: warm
spec:
  mounts:
    - mountPoint: ${nginx.url}hbase/
      name: hbase
---
apiVersion: data.fluid.io/v1alpha1
kind: DataLoad
metadata:
  name: warm-load
spec:
  dataset:
    name: warm
    namespace: default
  loadMetadata: true
`);
  await waitObj(cp, ['dataload', 'warm-load'], (o) => o.status?.['phase'] === 'Pending', 'DataLoad Pending while the dataset is not bound');
  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: AlluxioRuntime
metadata:
  name: warm
spec:
  replicas: 1
  tieredstore:
    levels:
      - mediumtype: MEM
        path: /dev/shm
        quota: 256Mi
`);
  const done = await waitObj(cp, ['dataload', 'warm-load'], (o) => o.status?.['phase'] === 'Complete' || o.status?.['phase'] === 'Failed', 'DataLoad finished', 180_000);
  assert.equal(done.status?.['phase'], 'Complete', JSON.stringify(done.status));
  const progress = done.status?.['progress'] as { loadedFiles: number; loadedBytes: number; totalBytes: number };
  assert.equal(progress.loadedFiles, files.size);
  assert.ok(progress.loadedBytes > 0);
  assert.match(String(done.status?.['duration']), /^\d+(m\d+)?s$|^\d+m$/);
  assert.equal(condition(done, 'Complete')?.status, 'True');
  assert.ok(typeof done.status?.['lastScheduleTime'] === 'string');
  await waitObj(cp, ['dataset', 'warm'], (o) => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cachedPercentage'] === '100.0%', 'dataset 100.0% cached by the DataLoad', 60_000);
  const row = cp.k(['get', 'dataload', 'warm-load']);
  assert.match(row, /warm-load\s+warm\s+Complete/);
  // Events: the load's lifecycle, as kubectl describe shows it.
  const described = cp.k(['describe', 'dataload', 'warm-load']);
  const events = described.slice(described.indexOf('Events:'));
  assert.match(events, /Normal\s+Started\s+.*DataLoad\s+loading \/ into the cache/);
  assert.match(events, /Normal\s+Complete\s+.*DataLoad\s+loaded \d+ file\(s\)/);

  // A bound dataset is not torn down under its readers: deletion waits for the runtime to go.
  cp.k(['delete', 'dataset', 'warm', '--wait=false']);
  const blocked = await waitObj(cp, ['dataset', 'warm'], (o) => condition(o, 'Ready')?.reason === 'DeletionBlocked', 'dataset deletion blocked while bound');
  assert.match(condition(blocked, 'Ready')?.message ?? '', /delete the runtime first/);
  const root = cp.fluid(['mount-path', 'warm']).stdout.trim();
  assert.equal(await sha256File(join(root, 'hbase', 'CHANGES.md')), files.get('CHANGES.md'));
  cp.k(['delete', 'alluxioruntime', 'warm', '--wait=false']);
  await waitFor('dataset gone after its runtime', () => cp.kubectl(['get', 'dataset', 'warm']).code !== 0, 120_000, 500);
});

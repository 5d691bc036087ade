// Data operation locking and chaining end to end (Fluid's status.operationRef and spec.runAfter),
// plus the DataClean kind and ttlSecondsAfterFinished, with the real kubectl against `fluid up`.
// nginx serves the UFS rate-limited so the first load runs long enough to be seen holding the lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File, tempDir, waitFor } from '../../support/proc.js';
import { startNginx } from '../../support/servers.js';
import { condition, datasetWithRuntimeYaml, hbaseFixture, startControlPlane, table, waitObj } from './harness.js';

type Obj = { status?: Record<string, unknown> };
const phaseOf = (o: Obj | undefined): string | undefined => o?.status?.['phase'] as string | undefined;

function load(name: string, runAfter?: string): string {
  return `
---
apiVersion: data.fluid.io/v1alpha1
kind: DataLoad
metadata:
  name: ${name}
spec:
  dataset:
    name: ops
${runAfter ? `  runAfter:\n    kind: DataLoad\n    name: ${runAfter}\n` : ''}`;
}

test('a second DataLoad waits for the lock, runAfter chains, DataClean frees the cache and ttlSecondsAfterFinished deletes it', { timeout: 300_000 }, async (t) => {
  const www = tempDir(t, 'fluid-www-');
  chmodSync(www, 0o755);
  const files = await hbaseFixture(www);
  const nginx = await startNginx(t, www, { limitRate: '256k' });
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('ops', `${nginx.url}hbase/`));
  await waitObj(cp, ['dataset', 'ops'], (o) => phaseOf(o) === 'Bound', 'dataset bound', 180_000);
  cp.k(['create', '-f', '-'], load('first'));
  await waitObj(cp, ['dataload', 'first'], (o) => phaseOf(o) === 'Executing', 'first DataLoad Executing');
  const ds = cp.json<Obj>(['get', 'dataset', 'ops']);
  assert.deepEqual(ds?.status?.['operationRef'], { DataLoad: 'first' }, 'the running DataLoad holds the dataset lock');

  // The second waits while the first runs, and says why.
  cp.k(['create', '-f', '-'], load('second') + load('third', 'second'));
  const waiting = await waitObj(cp, ['dataload', 'second'], (o) => condition(o, 'Complete')?.reason === 'OperationLocked', 'second DataLoad waiting on the lock');
  assert.equal(phaseOf(waiting), 'Pending');
  assert.match(condition(waiting, 'Complete')?.message ?? '', /DataLoad "first" is running on the dataset/);
  const third = await waitObj(cp, ['dataload', 'third'], (o) => condition(o, 'Complete')?.reason === 'DataOperationWaiting', 'third DataLoad waiting for second (runAfter)');
  assert.deepEqual(third.status?.['waitingFor'], { operationComplete: true });

  // Never two DataLoads Executing on the dataset at once; each one starts only after its predecessor completed.
  const seen: string[] = [];
  await waitFor('all three DataLoads finished', () => {
    const phases = ['first', 'second', 'third'].map((n) => phaseOf(cp.json<Obj>(['get', 'dataload', n])));
    assert.ok(phases.filter((p) => p === 'Executing').length <= 1, `at most one Executing: ${phases.join(',')}`);
    if (phases[1] === 'Executing' || phases[1] === 'Complete') assert.equal(phases[0], 'Complete', 'second starts only after first completed');
    if (phases[2] === 'Executing' || phases[2] === 'Complete') assert.equal(phases[1], 'Complete', 'third starts only after second (runAfter)');
    seen.push(phases.join(','));
    return phases.every((p) => p === 'Complete' || p === 'Failed') ? phases : undefined;
  }, 180_000, 300);
  assert.deepEqual(['first', 'second', 'third'].map((n) => phaseOf(cp.json<Obj>(['get', 'dataload', n]))), ['Complete', 'Complete', 'Complete'], seen.join(' '));
  await waitObj(cp, ['dataset', 'ops'], (o) => o.status?.['operationRef'] === undefined, 'lock released after the last DataLoad');
  assert.equal((cp.json<Obj>(['get', 'dataload', 'third'])?.status?.['waitingFor'] as Record<string, unknown> | undefined)?.['operationComplete'], false);
  await waitObj(cp, ['dataset', 'ops'], (o) => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cachedPercentage'] === '100.0%', 'dataset 100.0% cached');

  // DataClean after the third load; it deletes itself once finished (ttlSecondsAfterFinished: 0).
  cp.k(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: DataClean
metadata:
  name: wipe
spec:
  dataset:
    name: ops
  ttlSecondsAfterFinished: 0
`);
  await waitFor('DataClean deleted after finishing (ttl 0)', () => cp.kubectl(['get', 'dataclean', 'wipe']).code !== 0, 120_000, 300);
  const events = cp.k(['get', 'events', '--field-selector', 'involvedObject.kind=DataClean,involvedObject.name=wipe', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
  assert.match(events, /^Complete\s+freed \d+ block\(s\), [0-9.]+MiB on 1 worker\(s\)$/m, events);
  const row = await waitFor('CACHED column 0.00B after DataClean', () => {
    const r = table(cp.k(['get', 'dataset', 'ops']))[0];
    return r?.['CACHED'] === '0.00B' ? r : undefined;
  }, 30_000, 300);
  assert.equal(row['CACHED PERCENTAGE'], '0.0%');
  const root = cp.fluid(['mount-path', 'ops']).stdout.trim();
  assert.equal(await sha256File(join(root, 'hbase', 'CHANGES.md')), files.get('CHANGES.md'));

  // Printer columns: DATASET PHASE AGE DURATION, as in Fluid.
  const header = cp.k(['get', 'dataload']).split('\n')[0] ?? '';
  assert.match(header, /^NAME\s+DATASET\s+PHASE\s+AGE\s+DURATION$/);
});

// On-demand cache clean end to end: a DataLoad warms the dataset, `fluid cache clean` frees the
// blocks of one file and then of the whole dataset on the worker (checked with the worker's
// Prometheus metrics and the Dataset's CACHED column through the real kubectl), the data still
// reads back byte-exact through the mount afterwards, and bad input gets an error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File, waitFor } from '../../support/proc.js';
import { datasetWithRuntimeYaml, pods, serveHbase, startControlPlane, table, waitObj } from './harness.js';

async function workerGauge(addr: string, name: string): Promise<number> {
  const text = await (await fetch(`http://${addr}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`metric ${name} not exposed by ${addr}`);
  return Number(m[1]);
}

test('fluid cache clean frees the blocks of a path and of the whole dataset; CACHED and worker metrics follow', { timeout: 300_000 }, async (t) => {
  const { www, files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('clean', `${nginx.url}hbase/`) + `
---
apiVersion: data.fluid.io/v1alpha1
kind: DataLoad
metadata:
  name: clean-warm
spec:
  dataset:
    name: clean
    namespace: default
`);
  const loaded = await waitObj(cp, ['dataload', 'clean-warm'], (o) => o.status?.['phase'] === 'Complete' || o.status?.['phase'] === 'Failed', 'DataLoad finished', 180_000);
  assert.equal(loaded.status?.['phase'], 'Complete', JSON.stringify(loaded.status));
  await waitObj(cp, ['dataset', 'clean'], (o) => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cachedPercentage'] === '100.0%', 'dataset 100.0% cached');
  const addr = pods(cp).find((p) => p.name === 'clean-worker-0')?.annotations['fluid.io/engine-address'];
  assert.ok(addr, 'worker address annotation');
  const blocksBefore = await workerGauge(addr, 'fluid_worker_blocks');
  assert.ok(blocksBefore > 0);
  const cachedBefore = table(cp.k(['get', 'dataset', 'clean']))[0]?.['CACHED'];

  // One file: exactly its bytes are freed, the rest stays cached.
  const tar = 'hbase-2.5.10-bin.tar.gz';
  const tarSize = statSync(join(www, 'hbase', tar)).size;
  const one = cp.fluid(['cache', 'clean', 'clean', '--path', `/hbase/${tar}`]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, new RegExp(`^/hbase/${tar.replace(/\./g, '\\.')}: freed \\d+ block\\(s\\), [0-9.]+MiB \\(${tarSize} bytes\\) of 1 file\\(s\\) on 1 worker\\(s\\)$`, 'm'));
  await waitFor('CACHED column drops after the file clean', () => {
    const row = table(cp.k(['get', 'dataset', 'clean']))[0];
    return row && row['CACHED'] !== cachedBefore && row['CACHED PERCENTAGE'] !== '100.0%' ? row : undefined;
  }, 30_000, 300);
  const blocksMid = await workerGauge(addr, 'fluid_worker_blocks');
  assert.ok(blocksMid > 0 && blocksMid < blocksBefore, `blocks ${blocksBefore} -> ${blocksMid}`);

  // The whole dataset (default path "/").
  const all = cp.fluid(['cache', 'clean', 'clean']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^\/: freed \d+ block\(s\), .* on 1 worker\(s\)$/m);
  assert.equal(await workerGauge(addr, 'fluid_worker_blocks'), 0);
  assert.equal(await workerGauge(addr, 'fluid_worker_tier_used_bytes'), 0);
  assert.ok(await workerGauge(addr, 'fluid_worker_freed_bytes_total') >= tarSize);
  const row = await waitFor('CACHED column 0.00B', () => {
    const r = table(cp.k(['get', 'dataset', 'clean']))[0];
    return r?.['CACHED'] === '0.00B' ? r : undefined;
  }, 30_000, 300);
  assert.equal(row['CACHED PERCENTAGE'], '0.0%');

  // Cleaning frees the cache, not the data: every file reads back byte-exact (refilled from the UFS).
  const root = cp.fluid(['mount-path', 'clean']).stdout.trim();
  for (const [rel, sha] of files) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, rel);

  // Bad input: named in the error, nothing done.
  const noDs = cp.fluid(['cache', 'clean', 'nosuch']);
  assert.notEqual(noDs.code, 0);
  assert.match(noDs.stderr, /no dataset named "nosuch" in namespace "default"/);
  const noPath = cp.fluid(['cache', 'clean', 'clean', '--path', '/hbase/missing.bin']);
  assert.notEqual(noPath.code, 0);
  assert.match(noPath.stderr, /--path \/hbase\/missing\.bin: no such file or directory in dataset "default\/clean"/);
  const relPath = cp.fluid(['cache', 'clean', 'clean', '--path', 'hbase']);
  assert.notEqual(relPath.code, 0);
  assert.match(relPath.stderr, /--path: "hbase" must be a dataset path starting with "\/"/);
});

test('management.cleanCachePolicy: deleting the runtime frees its cache through the workers first (event CacheCleaned)', { timeout: 300_000 }, async (t) => {
  const { files, nginx } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('bye', `${nginx.url}hbase/`, {
    quota: '64Mi',
    runtimeSpec: '  management:\n    cleanCachePolicy:\n      gracePeriodSeconds: 30\n      maxRetryAttempts: 1\n',
  }));
  await waitObj(cp, ['dataset', 'bye'], (o) => o.status?.['phase'] === 'Bound', 'dataset bound', 180_000);
  const root = cp.fluid(['mount-path', 'bye']).stdout.trim();
  for (const [rel, sha] of files) assert.equal(await sha256File(join(root, 'hbase', rel)), sha, rel);
  await waitObj(cp, ['dataset', 'bye'], (o) => (o.status?.['cacheStates'] as Record<string, string> | undefined)?.['cached'] !== '0.00B', 'reads cached blocks');
  cp.k(['delete', 'alluxioruntime', 'bye', '--wait=false']);
  await waitFor('runtime gone', () => cp.kubectl(['get', 'alluxioruntime', 'bye']).code !== 0, 120_000, 500);
  const events = cp.k(['get', 'events', '--field-selector', 'involvedObject.kind=AlluxioRuntime,involvedObject.name=bye', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
  assert.match(events, /^CacheCleaned\s+freed [1-9]\d* block\(s\), [0-9.]+[KM]iB on 1 worker\(s\) before shutdown$/m, events);
});

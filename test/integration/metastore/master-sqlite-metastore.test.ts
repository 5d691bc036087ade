// A real master keeping its namespace in the SQLite metastore (fluid.master.metastore=SQLITE):
// listing, stat and reads through a worker are right (sha256); after SIGKILL and a restart with
// the under storage gone, the namespace and statistics come back from the journal (checkpoint +
// replay) into a freshly formatted metastore. A bad metastore value stops the master with a clear error.
import { sharedToken } from '../../support/engine-token.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MasterConfig } from '../../../src/api/engine-config.js';
import { masterClient, workerClient } from '../../support/engine-cluster.js';
import { METASTORE_FILE } from '../../../src/adapters/metastore/sqlite-node-store.js';
import { listTree, mount, readBlocks, startMaster, startWorker } from '../../support/engine-cluster.js';
import { freePort, runFluid, sha256, tempDir, waitFor } from '../../support/proc.js';
import { writeRandomFile } from '../../support/servers.js';

const MiB = 1024 * 1024;

test('GIVEN a master with the SQLite metastore over a local dir WHEN files are listed and read, then the master is SIGKILLed and restarted without its storage THEN answers are right and the namespace comes back', async (t) => {
  const root = tempDir(t, 'fluid-metastore-src-');
  const files: [string, number][] = [['big.bin', 9 * MiB + 77], ['sub/a.bin', 300_000], ['sub/deep/b.txt', 1234], ['é 日本.dat', 0]];
  mkdirSync(join(root, 'sub/deep'), { recursive: true });
  for (let d = 0; d < 30; d++) mkdirSync(join(root, `many/d${d}`), { recursive: true }); // enough entries to cross checkpoints
  files.forEach(([p, n], i) => writeRandomFile(join(root, p), n, i + 5));
  const mounts = [mount('d', `local://${root}`)];
  let master = await startMaster(t, { mounts, properties: {
    'fluid.master.metastore': 'SQLITE', 'fluid.worker.block.size': '4MiB', 'fluid.master.worker.timeout': '10min',
    'fluid.master.journal.checkpoint.period.entries': '7', 'fluid.master.metadata.sync.interval': '-1',
  } });
  const journalDir = (JSON.parse(readFileSync(master.configFile, 'utf8')) as MasterConfig).journalDir;
  assert.ok(existsSync(join(journalDir, 'metastore', METASTORE_FILE)), 'the database lives under <journalDir>/metastore');
  assert.match(master.proc.output(), /"kind":"SQLITE"/);
  const worker = await startWorker(t, { id: 'w1', masters: [master.address], mounts });
  const mc = masterClient([master.address]);
  const wc = workerClient(worker.address);

  const stats = await waitFor('metadata loaded', async () => { const s = await mc.stats(); return s.metadataComplete ? s : null; });
  assert.equal(stats.fileCount, files.length);
  assert.equal(stats.ufsTotalBytes, files.reduce((s, [, n]) => s + n, 0));
  assert.equal(stats.directoryCount, 4 + 30); // mount root, sub, sub/deep, many + its 30 children
  assert.deepEqual((await mc.listStatus('/d/sub')).entries.map((e) => `${e.name}:${e.kind}:${e.size}`), ['a.bin:file:300000', 'deep:directory:0']);
  assert.equal((await mc.getStatus('/d/é 日本.dat')).size, 0);
  await waitFor('worker registered', async () => (await mc.workers()).workers.length === 1);
  for (const [p] of files) {
    const info = await mc.getBlockInfo(`/d/${p}`);
    assert.equal(sha256((await readBlocks(info, [wc])).bytes), sha256(readFileSync(join(root, p))), p);
  }

  // Worker first (nothing re-registers), then the master, with the storage gone: all from the journal.
  await worker.proc.kill('SIGKILL');
  const before = { tree: await listTree(mc, '/d'), stats: await mc.stats(), info: await mc.getBlockInfo('/d/big.bin') };
  assert.ok(readdirSync(join(journalDir, 'checkpoints')).length > 0, 'recovery restores a checkpoint, then replays');
  await master.proc.kill('SIGKILL');
  renameSync(root, `${root}.gone`);
  t.after(() => { try { renameSync(`${root}.gone`, root); } catch { /* already back */ } });
  master = await master.restart();
  assert.deepEqual({ tree: await listTree(mc, '/d'), stats: await mc.stats(), info: await mc.getBlockInfo('/d/big.bin') }, before);
  assert.match(master.proc.output(), /journal recovered/);
  // A second crash right after recovery changes nothing either.
  await master.proc.kill('SIGKILL');
  master = await master.restart();
  assert.deepEqual(await listTree(mc, '/d'), before.tree);
});

test('GIVEN an unknown metastore value WHEN a master starts THEN it exits with an error naming the property and the accepted values', async (t) => {
  const dir = tempDir(t, 'fluid-metastore-bad-');
  const cfg: MasterConfig = {
    id: 'm0', host: '127.0.0.1', port: await freePort(), mounts: [mount('d', `local://${dir}`)], peers: [], journalDir: join(dir, 'journal'),
    tokenFile: sharedToken().file, properties: { 'alluxio.master.metastore': 'CASSANDRA' },
  };
  const file = join(dir, 'master.json');
  writeFileSync(file, JSON.stringify(cfg));
  const r = runFluid(['engine', 'master', '--config', file], { timeoutMs: 60_000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /property alluxio\.master\.metastore: expected one of HEAP, SQLITE, ROCKS, got "CASSANDRA"/);
  assert.equal(existsSync(join(dir, 'journal', 'metastore')), false);
});

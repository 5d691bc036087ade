// The FUSE client against real processes: nginx (WebUFS), a master, two workers and the mount.
import { sharedToken } from '../../support/engine-token.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { dropPageCache, preadFully, sha256, sha256File, tempDir, waitFor, isMountpoint, freePort, runFluid } from '../../support/proc.js';
import type { WorkerStats } from '../../../src/api/engine-rpc.js';
import { workerClient } from '../../support/engine-cluster.js';
import { startNginx, writeRandomFile } from '../../support/servers.js';
import { metricValue, startCluster } from './engine-cluster.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** hbase-shaped fixture at small scale: name -> size. */
const FILES: Record<string, number> = {
  'hbase-2.5.8-bin.tar.gz': 5 * MiB + 123,
  'hbase-2.5.8-client-bin.tar.gz': 4 * MiB + 7,
  'hbase-2.5.8-src.tar.gz': 1 * MiB + 300 * KiB,
  'CHANGES.md': 110 * KiB,
  'RELEASENOTES.md': 65 * KiB,
  'api_compare_2.5.7_to_2.5.8.html': 29 * KiB,
  'docs/book.html': 200 * KiB + 1,
  'kill/large.bin': 12 * MiB + 5,
  'offline/unread.bin': 2 * MiB,
};

/** nginx workers run as an unprivileged user: make the served tree world-readable. */
function servable(dir: string): string {
  chmodSync(dir, 0o755);
  return dir;
}

function makeFixture(root: string): Map<string, string> {
  const sums = new Map<string, string>();
  let seed = 1;
  for (const [name, size] of Object.entries(FILES)) {
    const p = join(root, name);
    mkdirSync(join(p, '..'), { recursive: true, mode: 0o755 });
    writeRandomFile(p, size, seed++);
    sums.set(name, sha256(readFileSync(p)));
  }
  return sums;
}

async function workerStats(address: string): Promise<WorkerStats> {
  return workerClient(address).stats();
}

function listBlockFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.blk')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

test('GIVEN a dataset on nginx served through master, two workers and a FUSE mount', { timeout: 300_000 }, async (t) => {
  const src = servable(tempDir(t, 'fluid-fuse-src-'));
  const sums = makeFixture(src);
  const nginx = await startNginx(t, src);
  const c = await startCluster(t, { mountName: 'hbase', mountPoint: nginx.url, blockSize: 1 * MiB, fuseProperties: { 'fuse.shortCircuit.idleMs': '1000' } });
  const root = join(c.mountPath, 'hbase');

  await t.test('WHEN listing THEN ls -1 and du show the hbase files under /<mountName>/', () => {
    assert.deepEqual(readdirSync(c.mountPath), ['hbase']);
    const ls = spawnSync('ls', ['-1', root], { encoding: 'utf8' });
    assert.equal(ls.status, 0, ls.stderr);
    const top = ls.stdout.trim().split('\n').sort();
    assert.deepEqual(top, ['CHANGES.md', 'RELEASENOTES.md', 'api_compare_2.5.7_to_2.5.8.html', 'docs', 'hbase-2.5.8-bin.tar.gz', 'hbase-2.5.8-client-bin.tar.gz', 'hbase-2.5.8-src.tar.gz', 'kill', 'offline']);
    assert.equal(statSync(join(root, 'hbase-2.5.8-bin.tar.gz')).size, FILES['hbase-2.5.8-bin.tar.gz']);
    const du = spawnSync('du', ['-s', '-B1', '--apparent-size', root], { encoding: 'utf8' });
    assert.equal(du.status, 0, du.stderr);
    const total = Object.values(FILES).reduce((a, b) => a + b, 0);
    const reported = Number(du.stdout.split(/\s+/)[0]);
    // Directories count 4096 bytes each in du --apparent-size.
    assert.ok(reported >= total && reported <= total + 16 * 4096, `du says ${reported}, files total ${total}`);
  });

  await t.test('WHEN every file is read THEN its sha256 equals the source', async () => {
    for (const [name, sum] of sums) {
      if (name.startsWith('kill/') || name.startsWith('offline/')) continue;
      assert.equal(await sha256File(join(root, name)), sum, name);
    }
  });

  await t.test('WHEN four processes read the same large file at once after dropping the page cache THEN each gets the right bytes', async () => {
    dropPageCache();
    const name = 'hbase-2.5.8-bin.tar.gz';
    const runs = [1, 2, 3, 4].map(() => new Promise<string>((resolve, reject) => {
      const p = spawn('sha256sum', [join(root, name)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve(out.split(' ')[0] ?? '') : reject(new Error(`sha256sum exited ${code}`))));
    }));
    for (const sum of await Promise.all(runs)) assert.equal(sum, sums.get(name));
  });

  await t.test('WHEN reading at random offsets with pread THEN the bytes equal the source', () => {
    let x = 12345;
    const rnd = (n: number): number => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    for (const name of ['hbase-2.5.8-bin.tar.gz', 'hbase-2.5.8-src.tar.gz', 'CHANGES.md']) {
      const size = FILES[name] as number;
      const want = readFileSync(join(src, name));
      const fd = openSync(join(root, name), 'r');
      try {
        for (let i = 0; i < 40; i++) {
          const off = rnd(size);
          const len = 1 + rnd(Math.min(3 * MiB, size - off));
          const buf = preadFully(fd, len, off);
          assert.equal(buf.length, len);
          assert.ok(buf.equals(want.subarray(off, off + len)), `${name} at ${off}+${len}`);
        }
      } finally {
        closeSync(fd);
      }
    }
  });

  await t.test('WHEN writing THEN EROFS, and statfs (df) works', () => {
    assert.throws(() => writeFileSync(join(root, 'new.txt'), 'x'), /EROFS/);
    assert.throws(() => writeFileSync(join(root, 'CHANGES.md'), 'x'), /EROFS/);
    assert.throws(() => mkdirSync(join(root, 'newdir')), /EROFS/);
    const df = spawnSync('df', [c.mountPath], { encoding: 'utf8' });
    assert.equal(df.status, 0, df.stderr);
    assert.match(df.stdout, /fluid-fuse0/);
  });

  await t.test('WHEN the data is read again after dropping the page cache THEN 0 bytes come from the UFS', async () => {
    // The first pass cached every block on the workers; wait for the blocks to be reported.
    const before = await Promise.all(c.workers.map(async (w) => (await workerStats(w.address)).ufsBytesRead));
    const fuseBefore = metricValue(await c.metrics(c.fuseHealth), 'fluid_fuse_read_bytes_total', 'source="ufs"');
    dropPageCache();
    for (const [name, sum] of sums) {
      if (name.startsWith('kill/') || name.startsWith('offline/')) continue;
      assert.equal(await sha256File(join(root, name)), sum, name);
    }
    const after = await Promise.all(c.workers.map(async (w) => (await workerStats(w.address)).ufsBytesRead));
    const fuseAfter = metricValue(await c.metrics(c.fuseHealth), 'fluid_fuse_read_bytes_total', 'source="ufs"');
    assert.deepEqual(after, before, 'workers fetched nothing from the UFS');
    assert.equal(fuseAfter, fuseBefore, 'the FUSE client read nothing from the UFS');
    const m = await c.metrics(c.fuseHealth);
    assert.ok(metricValue(m, 'fluid_fuse_read_bytes_total', 'source="short_circuit"') > 0, m);
    // Blocks read once by short-circuit are then served by the native read path (no JavaScript),
    // and the raised read-ahead lets the kernel ask for more than libfuse2's 128 KiB per request.
    assert.ok(metricValue(m, 'fluid_fuse_read_requests_total', 'path="native"') > 0, m);
    assert.ok(metricValue(m, 'fluid_fuse_max_read_request_bytes', '') > 128 * 1024, m);
    // Every file is closed again: the native side holds no block descriptor any more (no leak).
    await waitFor('native block descriptors released', async () => metricValue(await c.metrics(c.fuseHealth), 'fluid_fuse_native_block_fds') === 0, 10_000);
  });

  await t.test('WHEN a cached block file is corrupted or truncated THEN it is detected, refetched, and the bytes match', async () => {
    // Let the client close its idle block files (1 s idle here) so the next read reopens through the worker.
    await new Promise((r) => setTimeout(r, 2_500));
    const blocks = c.workers.flatMap((w) => listBlockFiles(w.tierDir));
    assert.ok(blocks.length >= 4, `cached blocks: ${blocks.length}`);
    for (const f of blocks) {
      const buf = readFileSync(f);
      if (buf.length > 1000) {
        buf[500] = (buf[500] ?? 0) ^ 0xff;
        writeFileSync(f, buf);
      }
    }
    const firstThird = blocks.slice(0, Math.ceil(blocks.length / 3));
    for (const f of firstThird) truncateSync(f, 100);
    dropPageCache();
    for (const [name, sum] of sums) {
      if (name.startsWith('kill/') || name.startsWith('offline/')) continue;
      assert.equal(await sha256File(join(root, name)), sum, name);
    }
    const dropped = (await Promise.all(c.workers.map(async (w) => (await workerStats(w.address)).corruptBlocksDropped))).reduce((a, b) => a + b, 0);
    assert.ok(dropped > 0, 'workers report dropped corrupt blocks');
  });

  await t.test('WHEN a worker is SIGKILLed in the middle of a large read THEN the read completes with the right bytes', async () => {
    const h = createHash('sha256');
    let seen = 0;
    let killed = false;
    const victim = c.workers[0];
    assert.ok(victim);
    for await (const chunk of createReadStream(join(root, 'kill/large.bin'), { highWaterMark: 256 * KiB })) {
      h.update(chunk as Buffer);
      seen += (chunk as Buffer).length;
      if (!killed && seen >= 2 * MiB) {
        killed = true;
        await victim.proc.kill('SIGKILL');
      }
    }
    assert.ok(killed);
    assert.equal(h.digest('hex'), sums.get('kill/large.bin'));
  });

  await t.test('WHEN the storage goes away THEN an uncached read fails with EIO (no hang) and the log names the UFS path', async () => {
    await nginx.stop();
    const started = Date.now();
    assert.throws(() => readFileSync(join(root, 'offline/unread.bin')), /EIO/);
    assert.ok(Date.now() - started < 120_000);
    await waitFor('an EIO log line naming the UFS path', () => c.fuse.output().includes('ufs path /offline/unread.bin'), 10_000);
    assert.ok(isMountpoint(c.mountPath));
  });

  await t.test('WHEN the FUSE process gets SIGTERM while another process holds a file open THEN it unmounts and exits 0', async () => {
    // The holder keeps the mount busy: the client detaches it, then aborts the connection.
    const holder = spawn('sh', ['-c', 'exec 3< "$1"; echo held; exec sleep 600', 'sh', join(root, 'CHANGES.md')], { stdio: ['ignore', 'pipe', 'ignore'] });
    t.after(() => { holder.kill('SIGKILL'); });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const code = await c.fuse.kill('SIGTERM');
    assert.equal(code, 0, c.fuse.output());
    assert.ok(!isMountpoint(c.mountPath));
    holder.kill('SIGKILL');
    holder.stdout.destroy();
  });
});

test('GIVEN storage that is unreachable or answers 404 WHEN the FUSE client starts THEN it exits with a clear error', { timeout: 120_000 }, async (t) => {
  const dir = servable(tempDir(t, 'fluid-fuse-bad-'));
  const src = join(dir, 'src');
  mkdirSync(src, { mode: 0o755 });
  const nginx = await startNginx(t, src);
  const dead = await freePort();
  for (const [label, mountPoint] of [['unreachable', `http://127.0.0.1:${dead}/data/`], ['404', `${nginx.url}missing/`]] as const) {
    const cfg = join(dir, `${label}.json`);
    const mountPath = join(dir, `mnt-${label}`);
    writeFileSync(cfg, JSON.stringify({ id: 'f', port: await freePort(), masters: ['127.0.0.1:1'], mountPath, tokenFile: sharedToken().file, mounts: [{ name: 'hbase', mountPoint }] }));
    const r = runFluid(['engine', 'fuse', '--config', cfg], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, `${label}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /mount "hbase": under storage is not usable/, label);
    assert.ok(!existsSync(mountPath) || !isMountpoint(mountPath));
  }
});

test('GIVEN tier quotas far smaller than the dataset and no short-circuit WHEN every file is read THEN reads never fail and tier usage stays within quota', { timeout: 300_000 }, async (t) => {
  const src = servable(tempDir(t, 'fluid-fuse-quota-'));
  const sums = new Map<string, string>();
  for (let i = 0; i < 3; i++) {
    writeRandomFile(join(src, `part-${i}.bin`), 4 * MiB + i * 1000, 100 + i);
    sums.set(`part-${i}.bin`, sha256(readFileSync(join(src, `part-${i}.bin`))));
  }
  const nginx = await startNginx(t, src);
  const quota = 3 * MiB;
  const c = await startCluster(t, { mountName: 'data', mountPoint: nginx.url, blockSize: 1 * MiB, quota, fuseProperties: { 'fuse.shortCircuit.enabled': 'false' } });
  for (let round = 0; round < 2; round++) {
    dropPageCache();
    for (const [name, sum] of sums) assert.equal(await sha256File(join(c.mountPath, 'data', name)), sum, name);
  }
  for (const w of c.workers) {
    const s = await workerStats(w.address);
    for (const tier of s.tiers) assert.ok(tier.usedBytes <= quota, `worker ${w.id} uses ${tier.usedBytes} of ${quota}`);
  }
  const m = await c.metrics(c.fuseHealth);
  assert.ok(metricValue(m, 'fluid_fuse_read_bytes_total', 'source="remote_worker"') > 0, m);
  assert.equal(metricValue(m, 'fluid_fuse_read_errors_total'), 0);
});

// A tier much smaller than the data read (issue 18): every block is fetched from the UFS about
// once, whether or not a tier can keep it. Real processes: nginx (whose access log counts the
// bytes it sent), a master, two workers (one on the tmpfs), the FUSE mount; a small tmpfs for the disk-full case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterClient, WorkerClient } from '../../../src/adapters/engine-client/index.js';
import { blockRefOf } from '../../../src/core/blockstore/block-id.js';
import { sharedToken } from '../../support/engine-token.js';
import { preadFully, sha256, sha256File, tempDir } from '../../support/proc.js';
import { startNginx, writeRandomFile, type Nginx } from '../../support/servers.js';
import { metricValue, startCluster, type Cluster } from './engine-cluster.js';

const MiB = 1024 * 1024;
const BLOCK = 2 * MiB;
/** Per worker; the data of each phase is 4x what the workers hold together. */
const QUOTA = 8 * MiB;
const WORKERS = 2;
/** UFS bytes ÷ bytes read may exceed 1 by this much (HTTP headers, a rare second fetch). */
const MAX_RATIO = 1.1;

/** `count` files of a bit more than 8 blocks each under root/sub; name -> sha256. */
function fixture(root: string, sub: string, count: number, seed: number): Map<string, { sum: string; size: number }> {
  mkdirSync(join(root, sub), { recursive: true, mode: 0o755 });
  const out = new Map<string, { sum: string; size: number }>();
  for (let i = 0; i < count; i++) {
    const name = `${sub}/f${i}.bin`;
    const size = 8 * BLOCK + 4097 * (i + 1);
    writeRandomFile(join(root, name), size, seed + i);
    out.set(name, { sum: sha256(readFileSync(join(root, name))), size });
  }
  return out;
}

function ufsBytes(nginx: Nginx, sub: string): number {
  const n = nginx.bytesSent?.((p) => p.startsWith(`/${sub}/`) && p.endsWith('.bin'));
  if (n === undefined) throw new Error('nginx was started without an access log');
  return n;
}

async function readThroughFuse(c: Cluster, files: Map<string, { sum: string; size: number }>): Promise<number> {
  let read = 0;
  for (const [name, f] of files) {
    assert.equal(await sha256File(join(c.mountPath, 'data', name)), f.sum, `${name} through the mount`);
    read += f.size;
  }
  return read;
}

test('GIVEN a tier a quarter of the data WHEN the data is read once THEN the bytes are right and the UFS sends each byte about once', async (t) => {
  const root = tempDir(t, 'fluid-smalltier-ufs-');
  chmodSync(root, 0o755);
  const viaFuse = fixture(root, 'fuse', 4, 10);
  const viaBlocks = fixture(root, 'blocks', 4, 20);
  const nginx = await startNginx(t, root, { accessLog: true });
  // A short grace: leases of open FUSE block files stop protecting their blocks almost at once.
  const c = await startCluster(t, {
    mountName: 'data', mountPoint: nginx.url, workers: WORKERS, quota: QUOTA, blockSize: BLOCK, workerProperties: { 'fluid.worker.local.block.lease.grace': '100ms' },
  });
  const worker = c.workers[0] as Cluster['workers'][number];

  await t.test('through the FUSE mount (short-circuit, read-ahead, HTTP for blocks not kept)', async () => {
    // A handle kept open across the whole read: its first block stays mapped while evicted.
    const first = viaFuse.keys().next().value as string;
    const held = openSync(join(c.mountPath, 'data', first), 'r');
    t.after(() => closeSync(held));
    const head = preadFully(held, BLOCK, 0);
    const read = await readThroughFuse(c, viaFuse);
    assert.ok(read >= 4 * WORKERS * QUOTA);
    const sent = ufsBytes(nginx, 'fuse');
    t.diagnostic(`fuse: UFS sent ${sent} for ${read} read (${(sent / read).toFixed(3)}x)`);
    assert.ok(sent / read <= MAX_RATIO, `UFS sent ${sent} bytes for ${read} read (${(sent / read).toFixed(2)}x)`);
    let evicted = 0;
    for (const w of c.workers) {
      const m = await c.metrics(w.address);
      evicted += metricValue(m, 'fluid_worker_evicted_blocks_total');
      assert.ok(metricValue(m, 'fluid_worker_tier_used_bytes', 'tier="MEM"') <= QUOTA);
    }
    assert.ok(evicted > 0, 'blocks held by open FUSE files were evicted');
    // Eviction unlinks, never rewrites in place: the open handle still reads the same bytes.
    assert.equal(sha256(preadFully(held, BLOCK, 0)), sha256(head));
    assert.equal(sha256(head), sha256(readFileSync(join(root, first)).subarray(0, BLOCK)));
  });

  await t.test('through GET /blocks of one worker: two concurrent readers, 1 MiB range requests per block', async () => {
    const { credential } = sharedToken();
    const mc = new MasterClient([c.masterAddress], { credential });
    const w = new WorkerClient(worker.address, credential);
    let read = 0;
    for (const [name, f] of viaBlocks) {
      const info = await mc.getBlockInfo(`/data/${name}`);
      // The two readers ask for each range at the same moment (lockstep), so the test measures
      // the sharing of one fill, not how far one reader may fall behind the other under load: a
      // reader more than a tier's worth of blocks behind rightly finds its block evicted.
      const parts: [Buffer[], Buffer[]] = [[], []];
      for (const b of info.blocks) {
        const ref = blockRefOf(info, b);
        for (let start = 0; start < b.length; start += MiB) {
          const range = { start, length: Math.min(MiB, b.length - start) };
          const [r0, r1] = await Promise.all([w.readBlock(ref, range), w.readBlock(ref, range)]);
          parts[0].push(r0.bytes);
          parts[1].push(r1.bytes);
        }
      }
      for (const p of parts) assert.equal(sha256(Buffer.concat(p)), f.sum, name);
      read += f.size;
    }
    const sent = ufsBytes(nginx, 'blocks');
    t.diagnostic(`blocks: UFS sent ${sent} for ${read} read (${(sent / read).toFixed(3)}x)`);
    assert.ok(sent / read <= MAX_RATIO, `UFS sent ${sent} bytes for ${read} read once (twice concurrently) (${(sent / read).toFixed(2)}x)`);
  });
});

test('GIVEN an SSD tier on a tmpfs smaller than its quota WHEN the data is read through the mount THEN no read fails, blocks that could not be written are counted, and the UFS sends each byte about once', async (t) => {
  const tmpfs = mkdtempSync(join(tmpdir(), 'fluid-smalltier-tmpfs-'));
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', tmpfs], { encoding: 'utf8' });
  if (m.status !== 0) throw new Error(`mount -t tmpfs failed (this test needs root): ${m.stderr}`);
  // Lazy: the worker (killed by a later hook) may still hold files there.
  t.after(() => { spawnSync('umount', ['-l', tmpfs]); rmSync(tmpfs, { recursive: true, force: true }); });
  const root = tempDir(t, 'fluid-smalltier-ufs-');
  chmodSync(root, 0o755);
  const files = fixture(root, 'ssd', 2, 30);
  const nginx = await startNginx(t, root, { accessLog: true });
  const c = await startCluster(t, { mountName: 'data', mountPoint: nginx.url, workers: 1, quota: QUOTA, blockSize: BLOCK, medium: 'SSD', tierRoot: tmpfs });
  const read = await readThroughFuse(c, files);
  const sent = ufsBytes(nginx, 'ssd');
  t.diagnostic(`tmpfs: UFS sent ${sent} for ${read} read (${(sent / read).toFixed(3)}x)`);
  assert.ok(sent / read <= MAX_RATIO, `UFS sent ${sent} bytes for ${read} read (${(sent / read).toFixed(2)}x)`);
  const worker = c.workers[0] as Cluster['workers'][number];
  const metrics = await c.metrics(worker.address);
  assert.ok(metricValue(metrics, 'fluid_worker_blocks_not_kept_total') > 0, 'the tmpfs (4 MiB) filled up before the quota (8 MiB)');
  assert.doesNotMatch(worker.proc.output(), /could not be kept|"level":"error"/);
});

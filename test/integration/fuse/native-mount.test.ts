// The libfuse3 binding (native/fuse3) through mountFuse, with a small filesystem served by a child
// process (support/native-fs-server.ts): one file whose blocks also exist as separate block files. Reads go through JavaScript until a block is
// mapped, then natively from the block file. Checks the bytes (sha256, preads across block
// boundaries), the native/JS split, descriptor release, a truncated block file (falls back to
// JavaScript, bytes still right), EROFS, and unmounting while a process holds a file open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeReadStats } from '../../../src/adapters/fuse/fuse-mount.js';
import { dropPageCache, isMountpoint, preadFully, sha256, sha256File, start, tempDir, waitFor } from '../../support/proc.js';
import { writeRandomFile } from '../../support/servers.js';

const BLOCK = 4 * 1024 * 1024;
const SIZE = 3 * BLOCK + BLOCK / 2 + 123;
const serverScript = fileURLToPath(new URL('./support/native-fs-server.js', import.meta.url));

test('GIVEN the libfuse3 binding with a file whose blocks are separate block files', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'fluid-native-');
  const source = join(dir, 'source.bin');
  writeRandomFile(source, SIZE, 42);
  const bytes = readFileSync(source);
  const blockFiles: string[] = [];
  for (let b = 0; b * BLOCK < SIZE; b++) {
    const f = join(dir, `block-${b}.blk`);
    writeFileSync(f, bytes.subarray(b * BLOCK, Math.min(SIZE, (b + 1) * BLOCK)));
    blockFiles.push(f);
  }
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  const server = start(t, process.execPath, ['--enable-source-maps', serverScript, dir, mnt, String(BLOCK)], { stopSignal: 'SIGTERM' });
  await waitFor('the FUSE server', () => /READY (\d+)/.exec(server.output()), 30_000);
  const port = Number(/READY (\d+)/.exec(server.output())?.[1]);
  const stats = async (): Promise<NativeReadStats> => (await fetch(`http://127.0.0.1:${port}/`)).json() as Promise<NativeReadStats>;
  const file = join(mnt, 'f');

  await t.test('WHEN the file is read through one handle THEN the bytes match and reads after the first of each block are native', async () => {
    assert.equal(await sha256File(file), sha256(bytes));
    dropPageCache();
    const before = await stats();
    const fd = openSync(file, 'r');
    const got = Buffer.alloc(SIZE);
    try {
      for (let off = 0; off < SIZE;) {
        const n = readSync(fd, got, off, Math.min(256 * 1024, SIZE - off), off);
        assert.ok(n > 0);
        off += n;
      }
    } finally {
      closeSync(fd);
    }
    assert.ok(got.equals(bytes));
    const after = await stats();
    assert.ok(after.slowReads > before.slowReads, `the first read of a block goes to JavaScript: ${JSON.stringify(after)}`);
    assert.ok(after.fastReads > before.fastReads, `later reads of mapped blocks are native: ${JSON.stringify(after)}`);
    assert.equal(after.opens, before.opens + 1, 'the open was answered by the binding (the operation table has no open)');
  });

  await t.test('WHEN reading at random offsets, across block boundaries, on one handle THEN every byte matches', () => {
    dropPageCache();
    const fd = openSync(file, 'r');
    try {
      let x = 7;
      for (let i = 0; i < 60; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const off = i % 3 === 0 ? (1 + (x % 3)) * BLOCK - 1000 : x % SIZE; // a third straddle a boundary
        const len = Math.min(1 + (x % (2 * BLOCK)), SIZE - off);
        const buf = preadFully(fd, len, off);
        assert.equal(buf.length, len);
        assert.ok(buf.equals(bytes.subarray(off, off + len)), `pread ${len} at ${off}`);
      }
      const past = Buffer.alloc(10);
      assert.equal(readSync(fd, past, 0, 10, SIZE), 0, 'end of file');
    } finally {
      closeSync(fd);
    }
  });

  await t.test('WHEN every handle is closed THEN the native side holds no block descriptor', async () => {
    await waitFor('descriptors released', async () => (await stats()).mappedFds === 0, 10_000);
  });

  await t.test('WHEN a mapped block file is truncated THEN reads fall back to JavaScript and stay correct', async () => {
    const fd = openSync(file, 'r');
    try {
      const whole = Buffer.alloc(SIZE);
      assert.equal(readSync(fd, whole, 0, SIZE, 0), SIZE); // maps every block for this handle
      truncateSync(blockFiles[1] as string, 100);
      dropPageCache();
      const slowBefore = (await stats()).slowReads;
      const buf = Buffer.alloc(4096);
      assert.equal(readSync(fd, buf, 0, buf.length, BLOCK + 5000), buf.length);
      assert.ok(buf.equals(bytes.subarray(BLOCK + 5000, BLOCK + 5000 + buf.length)));
      assert.ok((await stats()).slowReads > slowBefore, 'the short block file sent the read to JavaScript');
    } finally {
      closeSync(fd);
    }
  });

  await t.test('WHEN writing or creating THEN EROFS', () => {
    assert.throws(() => openSync(file, 'r+'), /EROFS/);
    assert.throws(() => writeFileSync(join(mnt, 'new'), 'x'), /EROFS/);
    assert.throws(() => mkdirSync(join(mnt, 'd')), /EROFS/);
  });

  await t.test('WHEN the server gets SIGTERM while another process holds the file open THEN it unmounts and exits 0', async () => {
    const holder = spawn('sh', ['-c', 'exec 3< "$1"; echo held; exec sleep 600', 'sh', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    t.after(() => { holder.kill('SIGKILL'); });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    assert.equal(await server.kill('SIGTERM'), 0, server.output());
    assert.match(server.output(), /UNMOUNTED/);
    assert.ok(!isMountpoint(mnt));
    holder.kill('SIGKILL');
    holder.stdout.destroy();
  });
});

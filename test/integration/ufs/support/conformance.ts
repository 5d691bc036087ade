// The behaviour every Ufs connector must show, run against a real server by each connector's
// integration test. The fixture tree is created by `fixtureFiles()`; each test copies it into
// its storage (a directory, an nginx root, an S3 bucket) before calling runConformance.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { Ufs } from '../../../../src/core/ufs/ufs.js';
import { UfsChangedError, UfsNotFoundError } from '../../../../src/core/ufs/ufs-errors.js';

/** Deterministic pseudo-random bytes (xorshift32), same generator shape as writeRandomFile. */
export function randomBytes(size: number, seed: number): Buffer {
  const buf = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf[i] = x & 0xff;
  }
  return buf;
}

/** Relative path (no leading slash) -> content. Directories are implied. */
export function fixtureFiles(): Map<string, Buffer> {
  return new Map<string, Buffer>([
    ['a.bin', randomBytes(300 * 1024 + 3, 1)],
    ['small.txt', Buffer.from('hello\n')],
    ['space name.txt', Buffer.from('x')],
    ['dir/b.bin', randomBytes(1024 * 1024 + 7, 2)],
    ['dir/nested/c.txt', Buffer.from('deep')],
  ]);
}

export interface ConformanceStorage {
  /** Replaces a file's content in the storage (and changes its mtime), so its fingerprint must change. */
  rewrite(relPath: string, content: Buffer): Promise<void>;
}

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export async function runConformance(t: TestContext, ufs: Ufs, storage: ConformanceStorage): Promise<void> {
  const files = fixtureFiles();
  const a = files.get('a.bin') as Buffer;
  const b = files.get('dir/b.bin') as Buffer;

  await t.test('GIVEN the fixture WHEN the root and a nested directory are listed THEN names, kinds and exact sizes match', async () => {
    const root = await ufs.list('/');
    assert.deepEqual(root.map((e) => [e.name, e.kind, e.size]), [
      ['a.bin', 'file', a.length], ['dir', 'directory', 0], ['small.txt', 'file', 6], ['space name.txt', 'file', 1],
    ]);
    const dir = await ufs.list('/dir');
    assert.deepEqual(dir.map((e) => [e.name, e.kind, e.size]), [['b.bin', 'file', b.length], ['nested', 'directory', 0]]);
    const nested = await ufs.list('dir/nested/');
    assert.deepEqual(nested.map((e) => e.name), ['c.txt']);
  });

  await t.test('GIVEN a file and a directory WHEN stat is called THEN kinds, sizes and list fingerprints agree', async () => {
    const fa = await ufs.stat('/a.bin');
    assert.equal(fa.kind, 'file');
    assert.equal(fa.size, a.length);
    assert.equal(fa.name, 'a.bin');
    assert.ok(fa.fingerprint.length > 0);
    const listed = (await ufs.list('/')).find((e) => e.name === 'a.bin');
    assert.equal(listed?.fingerprint, fa.fingerprint);
    assert.equal((await ufs.stat('/dir')).kind, 'directory');
    assert.equal((await ufs.stat('/dir/nested')).kind, 'directory');
    assert.equal((await ufs.stat('/')).kind, 'directory');
    assert.equal((await ufs.stat('/space name.txt')).size, 1);
  });

  await t.test('GIVEN a missing path WHEN listed, stated or read THEN UfsNotFoundError names the path', async () => {
    await assert.rejects(ufs.stat('/missing.bin'), (e: unknown) => e instanceof UfsNotFoundError && e.message.includes('/missing.bin'));
    await assert.rejects(ufs.list('/missing-dir'), UfsNotFoundError);
    await assert.rejects(ufs.read('/dir/missing.bin', 0, 10), UfsNotFoundError);
  });

  await t.test('GIVEN a file WHEN read at random offsets and whole in chunks THEN the bytes equal the source', async () => {
    let x = 12345;
    const rnd = (n: number): number => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    const reads = [];
    for (let i = 0; i < 24; i++) {
      const off = rnd(b.length);
      const len = 1 + rnd(200_000);
      reads.push(ufs.read('/dir/b.bin', off, len).then((got) => {
        assert.equal(sha(got), sha(b.subarray(off, off + len)), `bytes at ${off}+${len}`);
      }));
    }
    await Promise.all(reads);
    const h = createHash('sha256');
    const chunk = 64 * 1024;
    for (let off = 0; off < b.length; off += chunk) h.update(await ufs.read('/dir/b.bin', off, chunk));
    assert.equal(h.digest('hex'), sha(b));
    assert.equal(Buffer.from(await ufs.read('/space name.txt', 0, 10)).toString(), 'x');
  });

  await t.test('GIVEN a read that crosses or starts past the end WHEN read THEN only the existing bytes come back', async () => {
    assert.deepEqual(Buffer.from(await ufs.read('/a.bin', a.length - 10, 100)), a.subarray(a.length - 10));
    assert.equal((await ufs.read('/a.bin', a.length, 10)).length, 0);
    assert.equal((await ufs.read('/a.bin', a.length + 1000, 10)).length, 0);
    assert.equal((await ufs.read('/a.bin', 5, 0)).length, 0);
  });

  await t.test('GIVEN a file that is rewritten WHEN stated again THEN its fingerprint changes and a read with the old one fails', async () => {
    const before = await ufs.stat('/small.txt');
    assert.deepEqual(Buffer.from(await ufs.read('/small.txt', 0, 100, { fingerprint: before.fingerprint })), Buffer.from('hello\n'));
    await storage.rewrite('small.txt', Buffer.from('HELLO\n'));
    const after = await ufs.stat('/small.txt');
    assert.notEqual(after.fingerprint, before.fingerprint);
    await assert.rejects(ufs.read('/small.txt', 0, 100, { fingerprint: before.fingerprint }), UfsChangedError);
    assert.equal(Buffer.from(await ufs.read('/small.txt', 0, 100, { fingerprint: after.fingerprint })).toString(), 'HELLO\n');
    assert.equal(Buffer.from(await ufs.read('/small.txt', 0, 100, { fingerprint: '' })).toString(), 'HELLO\n', 'empty fingerprint = no check');
  });

  await t.test('GIVEN an aborted signal WHEN reading THEN the read rejects without touching storage', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(ufs.read('/a.bin', 0, 10, { signal: ac.signal }), (e: unknown) => e instanceof Error && e.name === 'AbortError');
    await assert.rejects(ufs.list('/', ac.signal), (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });
}

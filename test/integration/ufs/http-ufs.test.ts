import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createUfs } from '../../../src/adapters/ufs/create-ufs.js';
import {
  UfsAccessDeniedError, UfsChangedError, UfsSizeMismatchError, UfsNotFoundError, UfsUnavailableError,
} from '../../../src/core/ufs/ufs-errors.js';
import { freePort, tempDir } from '../../support/proc.js';
import { startNginx } from '../../support/servers.js';
import { randomBytes, runConformance } from './support/conformance.js';
import { dirStorage, writeFixtureDir } from './support/fixture-dir.js';

const mount = (mountPoint: string) => ({ name: 'web', mountPoint, options: {}, encryptOptionFiles: {} });

/** An Apache-style listing (table variant) for files that really exist next to it. */
function apacheIndex(rows: { name: string; size: string; dir?: boolean }[]): string {
  const tr = rows.map((r) => `<tr><td valign="top"><img src="/icons/${r.dir ? 'folder' : 'unknown'}.gif" alt="[${r.dir ? 'DIR' : '   '}]"></td><td><a href="${encodeURIComponent(r.name)}${r.dir ? '/' : ''}">${r.name}${r.dir ? '/' : ''}</a></td><td align="right">2021-05-20 10:00  </td><td align="right">${r.size}</td><td>&nbsp;</td></tr>`);
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html><head><title>Index of /apache</title></head><body><h1>Index of /apache</h1><table>
<tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
${tr.join('\n')}
</table></body></html>
`;
}

test('http:// connector against nginx autoindex', async (t) => {
  const root = tempDir(t, 'fluid-ufs-web-');
  chmodSync(root, 0o755); // nginx workers run as an unprivileged user
  const data = join(root, 'data');
  mkdirSync(data);
  writeFixtureDir(data);
  const nginx = await startNginx(t, root);
  const ufs = createUfs(mount(`${nginx.url}data/`));
  t.after(() => ufs.close());

  await runConformance(t, ufs, dirStorage(data));

  await t.test('GIVEN an Apache-format listing with rounded sizes WHEN listed THEN exact sizes come from HEAD', async () => {
    const dir = join(root, 'apache');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const big = randomBytes(1_153_433, 7);
    writeFileSync(join(dir, 'CHANGES.md'), big);
    writeFileSync(join(dir, 'api compare.html'), randomBytes(29 * 1024 + 5, 8));
    writeFileSync(join(dir, 'index.html'), apacheIndex([
      { name: 'CHANGES.md', size: '1.1M' }, { name: 'api compare.html', size: '29K' }, { name: 'sub', size: '-', dir: true },
    ]));
    const apache = createUfs(mount(`${nginx.url}apache`));
    t.after(() => apache.close());
    const entries = await apache.list('/');
    assert.deepEqual(entries.map((e) => [e.name, e.kind, e.size]), [
      ['CHANGES.md', 'file', 1_153_433], ['api compare.html', 'file', 29 * 1024 + 5], ['sub', 'directory', 0],
    ]);
    assert.deepEqual(Buffer.from(await apache.read('/CHANGES.md', 1_000_000, 200_000)), big.subarray(1_000_000));
  });

  await t.test('GIVEN a range WHEN readInto fills a caller buffer THEN the bytes match read(), clipped at end of file', async () => {
    const dir = join(root, 'into');
    mkdirSync(dir);
    const bytes = randomBytes(300_000, 9);
    writeFileSync(join(dir, 'f.bin'), bytes);
    const web = createUfs(mount(`${nginx.url}into/`));
    t.after(() => web.close());
    assert.ok(web.readInto, 'the http connector implements readInto');
    const target = Buffer.alloc(100_000, 0xee);
    assert.equal(await web.readInto('/f.bin', 123_456, target), 100_000);
    assert.deepEqual(target, bytes.subarray(123_456, 223_456));
    const tail = Buffer.alloc(1000, 0xee);
    assert.equal(await web.readInto('/f.bin', 299_500, tail), 500);
    assert.deepEqual(tail.subarray(0, 500), bytes.subarray(299_500));
    assert.equal(tail[500], 0xee, 'bytes past the end of file are left alone');
    const fp = (await web.stat('/f.bin')).fingerprint;
    await assert.rejects(web.readInto('/f.bin', 0, Buffer.alloc(10), { fingerprint: `${fp}-other` }), UfsChangedError);
    // fileSize: the answer's total size is checked (a fill of a last block needs no stat of its own).
    assert.equal(await web.readInto('/f.bin', 299_000, Buffer.alloc(1000), { fileSize: 300_000 }), 1000);
    await assert.rejects(web.readInto('/f.bin', 0, Buffer.alloc(100), { fileSize: 100 }),
      (err: unknown) => err instanceof UfsSizeMismatchError && err.expected === 100 && err.actual === 300_000);
  });

  await t.test('GIVEN a file nginx may not read WHEN read THEN UfsAccessDeniedError', async () => {
    const p = join(data, 'secret.bin');
    writeFileSync(p, 'no');
    chmodSync(p, 0o000);
    await assert.rejects(ufs.read('/secret.bin', 0, 2), UfsAccessDeniedError);
    await assert.rejects(ufs.stat('/secret.bin'), UfsAccessDeniedError);
  });

  await t.test('GIVEN a URL that answers 404 WHEN used as a mount THEN UfsNotFoundError', async () => {
    const gone = createUfs(mount(`${nginx.url}no-such-dir/`));
    t.after(() => gone.close());
    await assert.rejects(gone.list('/'), UfsNotFoundError);
    await assert.rejects(gone.stat('/'), UfsNotFoundError);
  });

  await t.test('GIVEN a closed port WHEN listing THEN UfsUnavailableError comes back after bounded retries', async () => {
    const port = await freePort();
    const down = createUfs(mount(`http://127.0.0.1:${port}/x/`));
    t.after(() => down.close());
    await assert.rejects(down.list('/'), (e: unknown) => e instanceof UfsUnavailableError && /ECONNREFUSED/.test(e.message));
    await assert.rejects(down.read('/f', 0, 10), UfsUnavailableError);
  });

  await t.test('GIVEN nginx stops and restarts WHEN reading THEN reads fail as unavailable and then recover', async () => {
    await nginx.stop();
    await assert.rejects(ufs.read('/a.bin', 0, 10), UfsUnavailableError);
    await nginx.restart();
    assert.equal((await ufs.read('/a.bin', 0, 10)).length, 10);
  });
});

test('http:// connector against servers that misbehave', async (t) => {
  const body = randomBytes(4096, 3);
  // Ignores Range and answers 200 with the whole body; "/big" claims to be larger than the limit.
  const srv = createServer((req, res) => {
    if (req.url === '/d/small.bin') {
      res.writeHead(200, { 'content-length': body.length, etag: '"v1"' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } else if (req.url === '/d/big.bin') {
      res.writeHead(200, { 'content-length': 64 * 1024 * 1024 });
      if (req.method === 'HEAD') res.end(); else res.write(body);
    } else if (req.url === '/d/hang.bin') {
      // Accept and never answer.
    } else if (req.url === '/d/auth.bin') {
      res.writeHead(req.headers.authorization === `Basic ${Buffer.from('u:pw-s3cr3t').toString('base64')}` ? 200 : 401, { 'content-length': 2 });
      res.end('ok');
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  const port = await freePort();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  t.after(() => { srv.closeAllConnections(); srv.close(); });
  const ufs = createUfs(mount(`http://127.0.0.1:${port}/d/`));
  t.after(() => ufs.close());

  await t.test('GIVEN a server ignoring Range on a small file WHEN read THEN the slice is cut from the whole body', async () => {
    assert.deepEqual(Buffer.from(await ufs.read('/small.bin', 100, 50)), body.subarray(100, 150));
    assert.equal((await ufs.stat('/small.bin')).fingerprint, 'etag:"v1"');
  });

  await t.test('GIVEN a server ignoring Range on a large file WHEN read THEN a clear error instead of a huge download', async () => {
    await assert.rejects(ufs.read('/big.bin', 0, 10), (e: unknown) => e instanceof UfsUnavailableError && /ignored the Range header/.test(e.message));
  });

  await t.test('GIVEN a server answering 500 WHEN stated THEN UfsUnavailableError', async () => {
    await assert.rejects(ufs.stat('/boom'), (e: unknown) => e instanceof UfsUnavailableError && /HTTP 500/.test(e.message));
  });

  await t.test('GIVEN a server that never answers WHEN the caller aborts THEN the read stops promptly', async () => {
    await assert.rejects(ufs.read('/hang.bin', 0, 10, { signal: AbortSignal.timeout(300) }), (e: unknown) => e instanceof Error && e.name === 'TimeoutError');
  });

  await t.test('GIVEN a server that never answers WHEN no signal is given THEN the idle timeout ends the read as unavailable', async () => {
    const short = createUfs(mount(`http://127.0.0.1:${port}/d/`), { idleTimeoutMs: 300, attempts: 2 });
    t.after(() => short.close());
    await assert.rejects(short.read('/hang.bin', 0, 10), (e: unknown) => e instanceof UfsUnavailableError && /ETIMEDOUT/.test(e.message));
  });

  await t.test('GIVEN credentials in the mount URL WHEN reading THEN Basic auth is sent and errors do not contain them', async () => {
    const authed = createUfs(mount(`http://u:pw-s3cr3t@127.0.0.1:${port}/d/`));
    t.after(() => authed.close());
    assert.equal(Buffer.from(await authed.read('/auth.bin', 0, 2)).toString(), 'ok');
    const wrong = createUfs(mount(`http://u:wr0ng-pw@127.0.0.1:${port}/d/`));
    t.after(() => wrong.close());
    await assert.rejects(wrong.read('/auth.bin', 0, 2), (e: unknown) => e instanceof UfsAccessDeniedError && !e.message.includes('wr0ng-pw'));
  });
});

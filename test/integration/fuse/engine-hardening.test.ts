// Issue 18 (High): a local user must not be able to poison the cache or make the FUSE client read
// what they may not. Each exploit of the issue runs as uid 65534 (setpriv) against real engine
// processes and a real FUSE mount, and now fails; the bytes read through the mount stay equal to
// the source (sha256). Also: every /rpc/* method and /blocks route refuses a missing or foreign
// credential with 401, /healthz and /metrics stay open, and a config without a usable tokenFile is
// refused at start naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockRefOf } from '../../../src/core/blockstore/block-id.js';
import { RpcRemoteError } from '../../../src/adapters/rpc/rpc-errors.js';
import { assertAllUnauthorized, assertHealthOpen, engineProbes } from '../../support/engine-auth.js';
import { masterClient, workerClient } from '../../support/engine-cluster.js';
import { sharedToken, writeToken } from '../../support/engine-token.js';
import { freePort, runFluid, sha256, sha256File, start, tempDir, waitFor } from '../../support/proc.js';
import { writeRandomFile } from '../../support/servers.js';
import { startCluster } from './engine-cluster.js';

const MiB = 1024 * 1024;
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** Runs a command as uid/gid 65534 with no supplementary groups. */
function asNobody(cmd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [...NOBODY, cmd, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** curl as nobody; returns "<http status> <body>". */
function curlAsNobody(method: string, url: string, body?: string): string {
  const args = ['-s', '-X', method, '-w', '\n%{http_code}', url, ...(body !== undefined ? ['-H', 'content-type: application/json', '--data-binary', body] : [])];
  const r = asNobody('curl', args);
  assert.equal(r.code, 0, r.stderr);
  const i = r.stdout.lastIndexOf('\n');
  return `${r.stdout.slice(i + 1)} ${r.stdout.slice(0, i)}`;
}

/** A source directory that nobody may read (the UFS of the cluster). */
function sourceDir(t: { after(fn: () => void): void }): string {
  const src = tempDir(t, 'fluid-harden-src-');
  chmodSync(src, 0o755);
  writeRandomFile(join(src, 'f2.bin'), 2 * MiB + 1234, 2);
  writeRandomFile(join(src, 'f3.bin'), 2 * MiB + 4321, 3);
  return src;
}

test('GIVEN a master, a worker and a FUSE mount WHEN uid 65534 tries worker hijack and block-id poisoning, and requests lack the runtime credential THEN nothing changes, 401/400/409 answer, and the mount serves the source bytes', { timeout: 180_000 }, async (t) => {
  const src = sourceDir(t);
  const c = await startCluster(t, { mountName: 'hbase', mountPoint: `local://${src}`, workers: 1 });
  const worker = c.workers[0];
  assert.ok(worker);
  const mc = masterClient([c.masterAddress]);
  const wc = workerClient(worker.address);

  // Every authenticated endpoint: no token, and another runtime's token, get 401 and nothing else.
  const probes = engineProbes(c.masterAddress, worker.address);
  await assertAllUnauthorized(probes);
  await assertAllUnauthorized(probes, writeToken(tempDir(t, 'fluid-other-'), 'other-runtime').credential);
  await assertHealthOpen([c.masterAddress, worker.address, c.fuseHealth]);

  // Exploit 1, worker hijack: nobody re-registers w0 at an address it serves.
  const realAddress = (await mc.workers()).workers.find((w) => w.id === 'w0')?.address;
  assert.equal(realAddress, worker.address);
  const hijack = JSON.stringify({ workerId: 'w0', instanceId: 'attacker', uid: 65534, tierPaths: ['/tmp'], address: '127.0.0.1:1', host: '127.0.0.1', tiers: [], blocks: [] });
  assert.match(curlAsNobody('POST', `http://${c.masterAddress}/rpc/registerWorker`, hijack), /^401 .*Unauthorized/);
  // Even with the runtime's credential, another instance cannot take a live worker's id.
  const taken = await mc.call('registerWorker', JSON.parse(hijack) as never).then(() => null, (e: unknown) => e);
  assert.ok(taken instanceof RpcRemoteError && taken.status === 409 && taken.code === 'WorkerIdInUse', String(taken));
  assert.match(taken.message, new RegExp(`registered by another live instance at ${worker.address}`));
  assert.equal((await mc.workers()).workers.find((w) => w.id === 'w0')?.address, worker.address, 'w0 keeps its address');

  // Exploit 3, block-id poisoning: cache f3's bytes under block 0 of f2.
  assert.match(curlAsNobody('POST', `http://${c.masterAddress}/rpc/getBlockInfo`, '{"path":"/hbase/f3.bin"}'), /^401 /);
  const f2 = await mc.getBlockInfo('/hbase/f2.bin');
  const f3 = await mc.getBlockInfo('/hbase/f3.bin');
  const b0 = f2.blocks[0];
  const f3b0 = f3.blocks[0];
  assert.ok(b0 && f3b0);
  const poison = new URLSearchParams({ mount: 'hbase', path: '/f3.bin', offset: '0', length: String(f3b0.length), fingerprint: f3.fingerprint, blockSize: String(f3.blockSize) });
  const poisonUrl = `http://${worker.address}/blocks/${b0.blockId}?${poison.toString()}`;
  assert.match(curlAsNobody('GET', poisonUrl), /^401 /);
  const withToken = await fetch(poisonUrl, { headers: { authorization: sharedToken().credential.authorization() } });
  assert.equal(withToken.status, 400);
  assert.match(await withToken.text(), /blockId \(URL path\): does not match the block of mount, path, fingerprint, blockSize and offset/);

  // Bad parameters answer 400 naming the parameter (never 500).
  const good = blockRefOf(f2, b0);
  const q = (over: Record<string, string>): string => new URLSearchParams({
    mount: good.mount, path: good.ufsPath, offset: String(good.offset), length: String(good.length), fingerprint: good.fingerprint, blockSize: String(good.blockSize), ...over,
  }).toString();
  const bad: [string, string, RegExp][] = [
    ['huge length', `/blocks/${good.blockId}?${q({ length: '99999999999' })}`, /"length: expected 1\.\./],
    ['".." path', `/blocks/${good.blockId}?${q({ path: '/../f3.bin' })}`, /"path: expected an absolute file path/],
    ['non-numeric offset', `/blocks/${good.blockId}?${q({ offset: 'abc' })}`, /"offset: expected a non-negative integer/],
    ['missing blockSize', `/blocks/${good.blockId}?${q({ blockSize: '' })}`, /"blockSize: expected a non-negative integer/],
    ['malformed id escape', `/blocks/%zz?${q({})}`, /"blockId \(URL path\): expected a non-empty string/],
    ['truncated block under a full block\'s id', `/blocks/${good.blockId}?${q({ length: '100' })}`, /blockId \(URL path\): does not match|length: a block shorter than blockSize/],
  ];
  for (const [what, path, message] of bad) {
    const r = await fetch(`http://${worker.address}${path}`, { headers: { authorization: sharedToken().credential.authorization() } });
    assert.equal(r.status, 400, what);
    assert.match(await r.text(), message, what);
  }
  const s = await wc.stats();
  assert.equal(s.blockCount, 0, 'nothing was cached by the refused requests');
  assert.equal(s.ufsBytesRead, 0, 'nothing was read from the UFS for them');

  // The mount serves the source bytes (and fills the cache the normal way).
  for (const f of ['f2.bin', 'f3.bin']) assert.equal(await sha256File(join(c.mountPath, 'hbase', f)), sha256(readFileSync(join(src, f))), f);
  await waitFor('blocks cached by the reads', async () => (await wc.stats()).blockCount >= f2.blocks.length, 30_000);

  // `fluid engine fs` needs --token-file; with another runtime's token it gets the 401 message only.
  const ls = runFluid(['engine', 'fs', '--masters', c.masterAddress, '--token-file', sharedToken().file, 'ls', '/hbase'], { timeoutMs: 30_000 });
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /f2\.bin/);
  const noToken = runFluid(['engine', 'fs', '--masters', c.masterAddress, 'ls', '/hbase'], { timeoutMs: 30_000 });
  assert.notEqual(noToken.code, 0);
  assert.match(noToken.stderr, /--token-file is required/);
  const foreign = writeToken(tempDir(t, 'fluid-foreign-'), 'foreign');
  const wrong = runFluid(['engine', 'fs', '--masters', c.masterAddress, '--token-file', foreign.file, 'ls', '/hbase'], { timeoutMs: 30_000 });
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /missing or wrong engine credential/);
  assert.ok(!wrong.stderr.includes(foreign.credential.reveal()), 'the token is not printed');

  // The token never shows in any process's output.
  const token = sharedToken().credential.reveal();
  for (const p of [c.master, worker.proc, c.fuse]) assert.ok(!p.output().includes(token), 'token not logged');
});

// The fake worker (run as uid 65534) answers openLocalBlock with a different substitution per
// port, and fails every block read over HTTP, so a refused short-circuit falls back to the UFS.
const FAKE_WORKER = `
const http = require('node:http');
const variants = JSON.parse(process.argv[2]);
for (const v of variants) {
  http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const send = (status, obj) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)); };
      if (req.url === '/healthz') return send(200, {});
      if (req.url === '/rpc/openLocalBlock') {
        const ref = JSON.parse(body);
        return send(200, { handle: 'h', file: v.file, length: ref.length, checksum: 'sha256:0' });
      }
      if (req.url === '/rpc/closeLocalBlock') return send(200, { ok: true });
      if (req.url === '/rpc/loadBlocks') return send(200, { loaded: 0, alreadyCached: 0, failed: [], bytesFetched: 0 });
      send(503, { error: { code: 'Unavailable', message: 'fake worker' } });
    });
  }).listen(v.port, '127.0.0.1', () => process.stdout.write('FAKE_READY ' + v.port + '\\n'));
}
`;

test('GIVEN a same-node "worker" that names block files outside its tier dirs, through symlinks or "..", root-only, loose or short WHEN the FUSE client reads THEN it refuses each (one warning per worker) and serves the source bytes', { timeout: 180_000 }, async (t) => {
  const src = sourceDir(t);
  const c = await startCluster(t, { mountName: 'hbase', mountPoint: `local://${src}`, workers: 0 });
  const mc = masterClient([c.masterAddress]);
  const info = await mc.getBlockInfo('/hbase/f2.bin');
  const blockLen = info.blocks[0]?.length ?? 0;

  // The attacker's world: a tier dir it owns, and a root-only 0600 file outside it.
  const base = tempDir(t, 'fluid-fake-');
  chmodSync(base, 0o755);
  const secretDir = join(base, 'root-only');
  mkdirSync(secretDir, { mode: 0o700 });
  const secret = join(secretDir, 'secret');
  writeFileSync(secret, Buffer.alloc(blockLen, 'S'), { mode: 0o600 });
  const tier = join(base, 'tier');
  mkdirSync(tier);
  chownSync(tier, 65534, 65534);
  const attacker = (name: string, mode: number, size: number): string => {
    const f = join(tier, name);
    writeFileSync(f, Buffer.alloc(size, 'X'));
    chownSync(f, 65534, 65534);
    chmodSync(f, mode);
    return f;
  };
  symlinkSync(secret, join(tier, 'link.blk'));
  const rootOwned = join(tier, 'root.blk');
  writeFileSync(rootOwned, Buffer.alloc(blockLen, 'R'), { mode: 0o600 });
  const depth = realpathSync(tier).split('/').length - 1;
  const variants: { id: string; file: string; reason: RegExp }[] = [
    { id: 'evil-outside', file: secret, reason: /is outside the worker's tier directories/ },
    { id: 'evil-symlink', file: join(tier, 'link.blk'), reason: /link\.blk \(resolved .*secret\) is outside the worker's tier directories/ },
    { id: 'evil-dotdot', file: `${tier}${'/..'.repeat(depth)}${secret}`, reason: /contains "\." or "\.\." segments/ },
    { id: 'evil-rootfile', file: rootOwned, reason: /owned by uid 0, not by the worker's uid 65534/ },
    { id: 'evil-groupw', file: attacker('gw.blk', 0o664, blockLen), reason: /mode 0664 is group- or world-writable/ },
    { id: 'evil-short', file: attacker('short.blk', 0o644, 10), reason: /10 bytes, expected the block's/ },
  ];
  const ports = await Promise.all(variants.map(() => freePort()));
  const script = join(base, 'fake-worker.cjs');
  writeFileSync(script, FAKE_WORKER, { mode: 0o644 });
  const fake = start(t, 'setpriv', [...NOBODY, process.execPath, script, JSON.stringify(variants.map((v, i) => ({ port: ports[i], file: v.file })))]);
  await waitFor('fake worker listening', () => {
    if (fake.child.exitCode !== null) throw new Error(`fake worker exited: ${fake.output()}`);
    return variants.every((_, i) => fake.output().includes(`FAKE_READY ${ports[i] ?? 0}`));
  }, 30_000);

  // As nobody, without the credential, the fake cannot even register.
  const reg = (id: string, port: number): Record<string, unknown> => ({
    workerId: id, instanceId: `${id}-1`, uid: 65534, tierPaths: [realpathSync(tier)], address: `127.0.0.1:${port}`, host: '127.0.0.1',
    tiers: [{ medium: 'MEM', capacityBytes: 1 << 30, usedBytes: 0 }], blocks: [],
  });
  assert.match(curlAsNobody('POST', `http://${c.masterAddress}/rpc/registerWorker`, JSON.stringify(reg('evil', ports[0] ?? 0))), /^401 /);
  // Defence in depth: assume it got registered anyway (a worker holding the credential went rogue).
  for (const [i, v] of variants.entries()) await mc.call('registerWorker', reg(v.id, ports[i] ?? 0) as never);
  const beat = setInterval(() => {
    for (const v of variants) void mc.call('workerHeartbeat', { workerId: v.id, instanceId: `${v.id}-1`, tiers: [], added: [], removed: [] } as never).catch(() => undefined);
  }, 1000);
  t.after(() => clearInterval(beat));

  for (const f of ['f2.bin', 'f3.bin']) assert.equal(await sha256File(join(c.mountPath, 'hbase', f)), sha256(readFileSync(join(src, f))), f);
  const log = c.fuse.output();
  for (const v of variants) {
    const lines = log.split('\n').filter((l) => l.includes(`WARN fuse: short-circuit block file of worker ${v.id} refused`));
    assert.equal(lines.length, 1, `${v.id}: one warning\n${log.slice(-4000)}`);
    assert.match(lines[0] ?? '', v.reason, v.id);
  }
  assert.ok(!log.includes('SSSS') && !log.includes('XXXX'), 'no attacker or secret bytes in the log');
});

test('GIVEN engine configs without a usable tokenFile WHEN a master, worker or fuse starts by hand THEN it exits non-zero naming the field', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t, 'fluid-notoken-');
  const loose = join(dir, 'loose-token');
  writeFileSync(loose, sharedToken().credential.reveal(), { mode: 0o644 });
  chmodSync(loose, 0o644);
  const mounts = [{ name: 'd', mountPoint: `local://${dir}`, options: {}, encryptOptionFiles: {} }];
  const configs: [string, Record<string, unknown>, RegExp][] = [
    ['master', { id: 'm', port: 0, mounts, journalDir: join(dir, 'j') }, /tokenFile/],
    ['worker', { id: 'w', port: 0, masters: ['127.0.0.1:1'], mounts, tiers: [{ mediumtype: 'MEM', paths: [join(dir, 'mem')], quotas: [1 << 20], high: 0.9, low: 0.5 }] }, /tokenFile/],
    ['fuse', { id: 'f', port: 0, masters: ['127.0.0.1:1'], mountPath: join(dir, 'mnt'), mounts }, /tokenFile/],
    ['master', { id: 'm', port: 0, mounts, journalDir: join(dir, 'j2'), tokenFile: loose }, /tokenFile: .*loose-token: mode 0644 lets group or others read it; the engine token file must be 0600/],
    ['worker', { id: 'w', port: 0, masters: ['127.0.0.1:1'], mounts, tokenFile: join(dir, 'missing'), tiers: [{ mediumtype: 'MEM', paths: [join(dir, 'mem2')], quotas: [1 << 20], high: 0.9, low: 0.5 }] }, /tokenFile: .*missing: cannot read the engine token file \(ENOENT\)/],
  ];
  for (const [i, [kind, cfg, message]] of configs.entries()) {
    const file = join(dir, `${kind}-${i}.json`);
    writeFileSync(file, JSON.stringify(cfg));
    const r = runFluid(['engine', kind, '--config', file], { timeoutMs: 30_000 });
    assert.notEqual(r.code, 0, `${kind} ${i}`);
    assert.match(r.stderr, message, `${kind} ${i}: ${r.stderr}`);
    assert.ok(!r.stderr.includes(sharedToken().credential.reveal()), 'the token is not printed');
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { HBASE_FILES, writeHbaseFixture } from '../../support/hbase-fixture.js';
import { sha256File, tempDir } from '../../support/proc.js';
import { startNginx } from '../../support/servers.js';
import { createUfs } from '../../../src/adapters/ufs/create-ufs.js';
import { createHash } from 'node:crypto';

test('GIVEN a scaled hbase fixture WHEN written twice THEN sizes follow the scale and the bytes are identical', async (t) => {
  const root = tempDir(t, 'fluid-hbase-');
  const a = await writeHbaseFixture(join(root, 'a'), { scale: 0.001 });
  const b = await writeHbaseFixture(join(root, 'b'), { scale: 0.001 });
  assert.deepEqual(a.files.map((f) => f.name), HBASE_FILES.map((f) => f.name));
  assert.equal(a.files[3]?.size, Math.round(263 * 1024 * 1024 * 0.001));
  assert.deepEqual(a.files.map((f) => f.sha256), b.files.map((f) => f.sha256));
  assert.equal(new Set(a.files.map((f) => f.sha256)).size, a.files.length, 'each file has its own content');
  for (const f of a.files) assert.equal(await sha256File(f.path), f.sha256);
  await assert.rejects(writeHbaseFixture(join(root, 'c'), { scale: 0 }), /scale/);
});

test('GIVEN the hbase fixture behind nginx WHEN read through the http connector THEN every sha256 matches', async (t) => {
  const root = tempDir(t, 'fluid-hbase-web-');
  chmodSync(root, 0o755); // nginx workers run as an unprivileged user
  const fx = await writeHbaseFixture(join(root, 'hbase', 'stable'), { scale: 0.005 });
  const nginx = await startNginx(t, root);
  const ufs = createUfs({ name: 'hbase', mountPoint: `${nginx.url}hbase/stable/`, options: {}, encryptOptionFiles: {} });
  t.after(() => ufs.close());
  const entries = await ufs.list('/');
  assert.deepEqual(entries.map((e) => [e.name, e.size]), fx.files.map((f) => [f.name, f.size]));
  for (const f of fx.files) {
    const h = createHash('sha256');
    const block = 256 * 1024;
    const parts = [];
    for (let off = 0; off < f.size; off += block) parts.push(ufs.read(`/${f.name}`, off, block));
    for (const p of await Promise.all(parts)) h.update(p);
    assert.equal(h.digest('hex'), f.sha256, f.name);
  }
});

// GIVEN a home that already exists with mode 0755, WHEN `fluid up` runs and a Secret is created
// and deleted with kubectl, THEN the home is 0700, every file that may hold a secret is 0600, and
// the deleted Secret's value is in none of apiserver.db, -wal, -shm (while running and after down).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFluid } from '../../support/proc.js';
import { clusterFor } from './harness.js';

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8).padStart(4, '0');

test('GIVEN a 0755 home WHEN fluid up runs and a Secret is created then deleted THEN the home is 0700, secret-bearing files 0600 and the value is gone from the database files', (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'fluid-files-'));
  chmodSync(parent, 0o755); // only the home's own mode and its files' modes stand between another user and the database
  const home = join(parent, 'home');
  mkdirSync(home, { mode: 0o755 });
  chmodSync(home, 0o755);
  t.after(() => {
    runFluid(['down', '--home', home]); // before the home is removed: down reads its controlplane.json
    rmSync(parent, { recursive: true, force: true });
  });
  const up = runFluid(['up', '--home', home]);
  assert.equal(up.code, 0, up.stderr);
  const c = clusterFor(home);

  const value = `s3cr3t-${process.pid}-value-that-must-vanish`;
  const b64 = Buffer.from(value).toString('base64');
  const created = c.kubectl(['create', 'secret', 'generic', 'doomed', `--from-literal=password=${value}`]);
  assert.equal(created.code, 0, created.stderr);
  // The exploit of issue 18, as uid 65534: read a live Secret's value out of the database files.
  for (const f of ['apiserver.db', 'apiserver.db-wal']) {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cat', join(home, f)], { encoding: 'latin1', timeout: 30_000 });
    assert.notEqual(r.status, 0, `uid 65534 could read ${f}`);
    assert.match(r.stderr, /Permission denied/, f);
    assert.equal(r.stdout.includes(b64) || r.stdout.includes(value), false, f);
  }
  const updated = c.kubectl(['patch', 'secret', 'doomed', '--type=merge', '-p', JSON.stringify({ metadata: { labels: { touched: 'yes' } } })]);
  assert.equal(updated.code, 0, updated.stderr);
  const deleted = c.kubectl(['delete', 'secret', 'doomed']);
  assert.equal(deleted.code, 0, deleted.stderr);

  assert.equal(mode(home), '0700', 'an existing 0755 home becomes 0700');
  const db = join(home, 'apiserver.db');
  const files = [db, `${db}-wal`, `${db}-shm`, join(home, 'token'), join(home, 'kubeconfig'), join(home, 'tls', 'apiserver.key'), join(home, 'logs', 'controlplane.log')];
  for (const f of files) {
    assert.ok(existsSync(f), `${f} exists`);
    assert.equal(mode(f), '0600', `${f} is 0600`);
  }
  const grep = (when: string): void => {
    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      if (!existsSync(f)) continue;
      const bytes = readFileSync(f);
      assert.equal(bytes.indexOf(value), -1, `${when}: the deleted value is not in ${f}`);
      assert.equal(bytes.indexOf(b64), -1, `${when}: the deleted value (base64) is not in ${f}`);
    }
  };
  grep('while running');
  assert.doesNotMatch(readFileSync(join(home, 'logs', 'controlplane.log'), 'utf8'), /"msg":"request"/, 'per-request lines are debug, not logged by default');
  assert.equal(runFluid(['down', '--home', home]).code, 0);
  grep('after down');
});

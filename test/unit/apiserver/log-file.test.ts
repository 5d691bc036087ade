// GIVEN a rotating log writer with a small size limit WHEN many lines are written THEN the log
// rotates to PATH.1..PATH.keep, drops older files, never splits a line, and files are 0600.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rotatingLogWriter } from '../../../src/apps/controlplane/log-file.js';

test('GIVEN maxBytes 100 and keep 2 WHEN 30 lines of 20 bytes are written THEN at most 100 bytes per file, PATH.1 and PATH.2 exist, PATH.3 does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-log-'));
  try {
    const path = join(dir, 'controlplane.log');
    const write = rotatingLogWriter({ path, maxBytes: 100, keep: 2 });
    for (let i = 0; i < 30; i++) write(`line ${String(i).padStart(13, '0')}\n`);
    for (const f of [path, `${path}.1`, `${path}.2`]) {
      assert.ok(statSync(f).size <= 100, f);
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
      assert.ok(readFileSync(f, 'utf8').split('\n').slice(0, -1).every((l) => /^line \d{13}$/.test(l)), f);
    }
    assert.equal(existsSync(`${path}.3`), false);
    assert.match(readFileSync(path, 'utf8'), /line 0000000000029\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

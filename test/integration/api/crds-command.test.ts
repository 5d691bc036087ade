import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cliEntry, tempDir } from '../../support/proc.js';
import { repoDir } from '../../unit/api/fixtures.js';

test('GIVEN the fluid CLI WHEN `fluid crds --out DIR` runs THEN it writes exactly the committed deploy/crds files', (t) => {
  const out = join(tempDir(t, 'fluid-crds-'), 'crds');
  const r = spawnSync(process.execPath, [cliEntry, 'crds', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const committed = join(repoDir, 'deploy/crds');
  const files = readdirSync(out).sort();
  assert.deepEqual(files, readdirSync(committed).filter((f) => f.endsWith('.yaml')).sort());
  assert.equal(r.stdout.trim().split('\n').length, files.length);
  for (const f of files) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(committed, f), 'utf8'), f);
});

test('GIVEN `fluid crds` without --out WHEN run THEN it exits 1 with a usage error', () => {
  const r = spawnSync(process.execPath, [cliEntry, 'crds'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--out DIR is required/);
});

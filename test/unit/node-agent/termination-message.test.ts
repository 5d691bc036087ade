import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLogLine } from '../../../src/apps/node-agent/termination-message.js';

test('GIVEN a container log ending with the supervisor\'s exit marker THEN the termination message is the container\'s own last line', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-term-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'fuse.log');
  writeFileSync(log, '--- 2026-12-02T02:20:20.000Z start #3 /cli/entry.js\nmounting\nfluid engine fuse: mount "m": under storage is not usable: HTTP 500\n\n--- 2026-12-02T02:20:21.552Z exited code=1 signal=\n');
  assert.equal(lastLogLine(log), 'fluid engine fuse: mount "m": under storage is not usable: HTTP 500');
  writeFileSync(log, `${'x'.repeat(5000)}\n`);
  assert.equal(lastLogLine(log)?.length, 1024);
  assert.equal(lastLogLine(join(dir, 'missing.log')), undefined);
});

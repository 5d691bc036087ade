#!/usr/bin/env node
// Runs the compiled tests with node's built-in runner.
//   node scripts/run-tests.mjs [unit|integration|all] [substring...]
// Unit tests (dist/test/unit) run in parallel; integration tests (dist/test/integration)
// start real processes, FUSE mounts and servers, so they run one file at a time.
// The runner prints node's own summary lines ("# tests", "# pass", "# fail").
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const [group = 'all', ...filters] = process.argv.slice(2);

function find(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (e.endsWith('.test.js')) out.push(p);
  }
  return out;
}

function pick(sub) {
  return find(join(root, 'dist/test', sub)).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
}

const runs = [];
if (group === 'unit' || group === 'all') runs.push({ files: pick('unit'), concurrency: 2, timeout: 120_000 });
if (group === 'integration' || group === 'all') runs.push({ files: pick('integration'), concurrency: 1, timeout: 600_000 });

let failed = false;
for (const run of runs) {
  if (run.files.length === 0) continue;
  const r = spawnSync(process.execPath, [
    '--enable-source-maps', '--test', `--test-concurrency=${run.concurrency}`, `--test-timeout=${run.timeout}`,
    '--test-reporter=spec', ...run.files,
  ], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);

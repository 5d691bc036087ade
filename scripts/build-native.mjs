#!/usr/bin/env node
// Builds native/fuse3 (the libfuse3 binding) with node-gyp against this Node's own headers
// (<prefix>/include/node), so no header download is needed. Run through `npm run build`, which
// puts npm's bundled node-gyp on PATH. Needs Debian's libfuse3-dev, pkg-config, make, g++, python3.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const prefix = resolve(process.execPath, '..', '..');
const args = ['rebuild', '--directory', join(root, 'native/fuse3'), '--loglevel=warn'];
if (existsSync(join(prefix, 'include/node/node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync('node-gyp', args, { stdio: ['ignore', 'ignore', 'inherit'] });
if (r.error || r.status !== 0) {
  process.stderr.write(`build-native: node-gyp ${args.join(' ')} failed${r.error ? `: ${r.error.message}` : ''}\n` +
    'build-native: the FUSE mount needs Debian\'s libfuse3-dev, pkg-config, make, g++ and python3 (scripts/install-deps.sh installs them)\n');
  process.exit(r.status ?? 1);
}

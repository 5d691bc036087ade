// A FUSE server for native-mount.test.ts, run as its own process (a process must not read its own
// FUSE mount from the JavaScript thread that serves it). It mounts, through mountFuse and the
// libfuse3 binding, a filesystem with one file `/f` whose bytes come from DIR/source.bin; each
// read through JavaScript maps the blocks it touched from DIR/block-N.blk so later reads of them
// are native. GET / on the printed port answers the binding's read stats as JSON. SIGTERM unmounts.
//   node native-fs-server.js DIR MOUNTPOINT BLOCK_SIZE
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:http';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { FuseOps } from '../../../../src/adapters/fuse/fuse-ops.js';
import { mountFuse, type MountedFuse } from '../../../../src/adapters/fuse/fuse-mount.js';

const [dir, mnt, blockArg] = process.argv.slice(2);
if (!dir || !mnt || !blockArg) throw new Error('usage: native-fs-server DIR MOUNTPOINT BLOCK_SIZE');
const BLOCK = Number(blockArg);
const E = constants.errno;
const sourceFd = openSync(join(dir, 'source.bin'), 'r');
const SIZE = fstatSync(sourceFd).size;
const now = Date.now();
let mounted: MountedFuse | undefined;

const ops: FuseOps = {
  getattr: (path, cb) => {
    if (path === '/') cb(0, { mode: 0o040555, size: 4096, mtimeMs: now, nlink: 2, uid: 0, gid: 0, blksize: 4096 });
    else if (path === '/f') cb(0, { mode: 0o100444, size: SIZE, mtimeMs: now, nlink: 1, uid: 0, gid: 0, blksize: BLOCK });
    else cb(-E.ENOENT);
  },
  readdir: (path, cb) => (path === '/' ? cb(0, ['f']) : cb(-E.ENOTDIR)),
  read: (_path, fh, buf, pos, _sequential, cb) => {
    const n = pos >= SIZE ? 0 : readSync(sourceFd, buf, 0, Math.min(buf.length, SIZE - pos), pos);
    for (let b = Math.floor(pos / BLOCK); n > 0 && b <= Math.floor((pos + n - 1) / BLOCK); b++) {
      const fd = openSync(join(dir, `block-${b}.blk`), 'r');
      mounted?.mapBlock(fh, SIZE, BLOCK, b, fd);
      closeSync(fd); // the binding keeps its own duplicate
    }
    cb(n);
  },
  release: (_path, _fh, cb) => cb(0),
  statfs: (_path, cb) => cb(0, { bsize: 4096, frsize: 4096, blocks: 1000, bfree: 0, bavail: 0, files: 1, ffree: 0, favail: 0, flag: 1, namemax: 255 }),
};

mounted = await mountFuse(mnt, ops, { attrTimeoutSec: 60, maxRead: 1 << 20, maxReadahead: 8 << 20, fsname: 'native-test' });
const m = mounted;
const srv = createServer((_req, res) => res.end(JSON.stringify(m.readStats())));
srv.listen(0, '127.0.0.1', () => {
  const a = srv.address();
  process.stdout.write(`READY ${typeof a === 'object' && a ? a.port : 0}\n`);
});
process.once('SIGTERM', () => {
  void m.unmount().then(() => {
    process.stdout.write('UNMOUNTED\n');
    process.exit(0);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuseMountState, notReadyMessage } from '../../../src/core/csi/fuse-readiness.js';
import { parseMountInfo } from '../../../src/core/thin/mountinfo.js';

const root = '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw';
const fuse = '40 22 0:50 / /mnt/fluid/alluxio-fuse rw,nosuid,nodev shared:30 - fuse fluid rw,user_id=0,group_id=0';
const tmpfs = '41 22 0:51 / /mnt/fluid/alluxio-fuse rw shared:31 - tmpfs tmpfs rw';
const P = '/mnt/fluid/alluxio-fuse';

test('the FUSE mount is ready only when a FUSE file system is the top mount at fluid_path', () => {
  assert.equal(fuseMountState(parseMountInfo(`${root}\n${fuse}\n`), P).kind, 'ready');
  assert.equal(fuseMountState(parseMountInfo(`${root}\n${fuse}\n`), `${P}/`).kind, 'ready');
  assert.deepEqual(fuseMountState(parseMountInfo(`${root}\n`), P), { kind: 'absent' });
  // A FUSE mount under another directory is not the dataset's mount.
  assert.deepEqual(fuseMountState(parseMountInfo(`${root}\n${fuse}\n`), '/mnt/fluid'), { kind: 'absent' });
  // Covered by a later tmpfs: what a bind would pick up is the tmpfs.
  const covered = `${root}\n${fuse}\n${tmpfs.replace('41 22', '41 40')}\n`;
  assert.deepEqual(fuseMountState(parseMountInfo(covered), P), { kind: 'other', fsType: 'tmpfs' });
});

test('the waiting message says what is missing', () => {
  assert.equal(notReadyMessage({ kind: 'absent' }, P), `the dataset's FUSE mount at ${P} is not mounted yet (is the FUSE pod running on this node?)`);
  assert.equal(notReadyMessage({ kind: 'other', fsType: 'tmpfs' }, P), `${P} holds a tmpfs mount, not the dataset's FUSE mount`);
});

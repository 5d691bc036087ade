import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fsTypeMatches, isShared, parseMountInfo, topMountAt } from '../../../src/core/thin/mountinfo.js';

// Lines as this machine printed them (see src/adapters/thin/mount-namespace.ts).
const SAMPLE = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
  '42 27 254:0 /tmp/nsexp/parent /tmp/nsexp/parent rw,relatime shared:1 - ext4 /dev/vda rw,discard',
  '69 42 0:40 / /tmp/nsexp/parent/target rw,nosuid,nodev,relatime shared:2 - fuse.rclone /tmp/nsexp/src rw,user_id=0,group_id=0',
  '70 42 0:41 / /tmp/with\\040space rw - fuse s3fs rw',
  '71 69 0:42 / /tmp/nsexp/parent/target rw shared:3 master:1 - fuse.s3fs s3fs rw',
  'garbage line',
].join('\n');

test('GIVEN mountinfo lines WHEN parsed THEN fields, optional tags and octal escapes are decoded', () => {
  const e = parseMountInfo(SAMPLE);
  assert.equal(e.length, 5);
  assert.deepEqual(e[1], {
    mountId: 42, parentId: 27, root: '/tmp/nsexp/parent', mountPoint: '/tmp/nsexp/parent', mountOptions: 'rw,relatime',
    optionalFields: ['shared:1'], fsType: 'ext4', source: '/dev/vda', superOptions: 'rw,discard',
  });
  assert.equal(e[3]?.mountPoint, '/tmp/with space');
  assert.deepEqual(e[4]?.optionalFields, ['shared:3', 'master:1']);
});

test('GIVEN stacked mounts at one path WHEN asking what is at it THEN the last (top) one is returned, trailing slash ignored', () => {
  const e = parseMountInfo(SAMPLE);
  assert.equal(topMountAt(e, '/tmp/nsexp/parent/target/')?.fsType, 'fuse.s3fs');
  assert.equal(topMountAt(e, '/tmp/nsexp'), undefined);
  assert.ok(isShared(topMountAt(e, '/tmp/nsexp/parent')!));
  assert.ok(!isShared(topMountAt(e, '/')!));
});

test('GIVEN a profile fileSystemType WHEN matching mount fsTypes THEN exact types match and "fuse" accepts any FUSE subtype', () => {
  assert.ok(fsTypeMatches('fuse.s3fs', 'fuse.s3fs'));
  assert.ok(!fsTypeMatches('fuse.rclone', 'fuse.s3fs'));
  assert.ok(fsTypeMatches('fuse', 'fuse'));
  assert.ok(fsTypeMatches('fuse.goofys', 'fuse'));
  assert.ok(!fsTypeMatches('ext4', 'fuse'));
});

test('GIVEN a dead FUSE mount hidden under a later bind mount of its parent WHEN asking what is at the target THEN nothing is (the bind mount covers it)', () => {
  const e = parseMountInfo([
    '27 1 254:0 / / rw - ext4 /dev/vda rw',
    '50 27 0:40 / /tmp/x/mnt/t rw - fuse.rclone :http: rw',
    '51 27 254:0 /tmp/x/mnt /tmp/x/mnt rw shared:9 - ext4 /dev/vda rw',
  ].join('\n'));
  assert.equal(topMountAt(e, '/tmp/x/mnt/t'), undefined);
  assert.equal(topMountAt(e, '/tmp/x/mnt')?.mountId, 51);
});

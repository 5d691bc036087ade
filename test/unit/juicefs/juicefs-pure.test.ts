import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JuiceFSConfig, JuiceFSStats } from '../../../src/api/juicefs-config.js';
import { classifyJuiceFSFailure } from '../../../src/core/juicefs/failure.js';
import { formatArgs, mountArgs, parseInfo, statusVolumeName } from '../../../src/core/juicefs/juicefs-args.js';
import { juicefsDatasetStatus } from '../../../src/core/juicefs/juicefs-status.js';
import { MetaUrlError, parseMetaUrl } from '../../../src/core/juicefs/meta-url.js';
import { sumSamples } from '../../../src/core/juicefs/prometheus-text.js';

test('parseMetaUrl splits the password out of Redis URLs and keeps it out of messages', () => {
  assert.deepEqual(parseMetaUrl('redis://:s3cr%2Ft@10.0.0.1:6380/2'), { scheme: 'redis', withoutPassword: 'redis://10.0.0.1:6380/2', password: 's3cr/t', address: { host: '10.0.0.1', port: 6380 } });
  assert.deepEqual(parseMetaUrl('redis://user:pw@h/1'), { scheme: 'redis', withoutPassword: 'redis://user@h/1', password: 'pw', address: { host: 'h', port: 6379 } });
  assert.deepEqual(parseMetaUrl('127.0.0.1:7000/3'), { scheme: 'redis', withoutPassword: 'redis://127.0.0.1:7000/3', address: { host: '127.0.0.1', port: 7000 } });
  assert.deepEqual(parseMetaUrl('sqlite3:///var/lib/jfs.db'), { scheme: 'sqlite3', withoutPassword: 'sqlite3:///var/lib/jfs.db' });
  assert.throws(() => parseMetaUrl('mysql://root:pw@(h:3306)/jfs'), (e: unknown) => e instanceof MetaUrlError && /scheme "mysql"/.test(e.message) && !e.message.includes('pw'));
  assert.throws(() => parseMetaUrl('  '), MetaUrlError);
});

const cfg: JuiceFSConfig = {
  id: 'jfsdemo-fuse', role: 'fuse', host: '127.0.0.1', port: 1, name: 'test', subdir: '/demo', mountPath: '/m', readOnly: true,
  storage: 'file', bucket: '/b/', formatOptions: { 'trash-days': '0' }, cacheDirs: ['/c', '/d'], mountOptions: { 'cache-size': '100', background: '' },
  metaUrlFile: '/s/metaurl', metaUrlRef: 'Secret "s" key "metaurl"', stateDirs: ['/c'], formats: true,
};

test('format and mount argv carry no secret and keep juicefs in the foreground', () => {
  assert.deepEqual(formatArgs(cfg, 'redis://h:1/1'), ['format', '--bucket=/b/', '--storage=file', '--trash-days=0', '--no-update', 'redis://h:1/1', 'test']);
  assert.deepEqual(mountArgs(cfg, 'redis://h:1/1', '127.0.0.1:9'), [
    'mount', '--cache-dir=/c:/d', '--cache-size=100', '--metrics=127.0.0.1:9', '--no-usage-report', '--read-only', '--subdir=/demo', 'redis://h:1/1', '/m',
  ]);
});

test('a cache-dir among the mount options wins over the tier paths', () => {
  assert.ok(mountArgs({ ...cfg, mountOptions: { 'cache-dir': '/x' } }, 'redis://h:1/1', '127.0.0.1:9').includes('--cache-dir=/x'));
});

test('FUSE options of a mount go to -o, juicefs flags stay flags', () => {
  const args = mountArgs({ ...cfg, readOnly: false, subdir: '/', cacheDirs: [], mountOptions: { allow_other: '', 'buffer-size': '300', max_read: '131072' } }, 'sqlite3:///m.db', '127.0.0.1:9');
  assert.deepEqual(args, ['mount', '--buffer-size=300', '--metrics=127.0.0.1:9', '--no-usage-report', '-o', 'allow_other,max_read=131072', 'sqlite3:///m.db', '/m']);
});

test('parseInfo reads files and the logical length of `juicefs info`', () => {
  const out = '/m :\n  inode: 1\n  files: 8\n   dirs: 2\n length: 6.00 MiB (6291837 Bytes)\n   size: 6.02 MiB (6312345 Bytes)\n   path: /demo\n';
  assert.deepEqual(parseInfo(out), { files: 8, lengthBytes: 6291837 });
  assert.deepEqual(parseInfo(' files: 1\n length: 12 Bytes\n'), { files: 1, lengthBytes: 12 });
  assert.equal(parseInfo('garbage'), undefined);
  assert.equal(statusVolumeName('{"Setting":{"Name":"test","UUID":"x"},"Sessions":[]}'), 'test');
});

test('classifyJuiceFSFailure names the cause from juicefs log lines', () => {
  const line = (s: string): string => `2026/12/02 04:50:00.123456 juicefs[42] <FATAL>: ${s} [interface.go:593]`;
  assert.deepEqual(classifyJuiceFSFailure(line('Meta ****** is not available: dial tcp 127.0.0.1:1: connect: connection refused')).reason, 'MetadataUnreachable');
  assert.equal(classifyJuiceFSFailure(line('Meta ****** is not available: WRONGPASS invalid username-password pair')).reason, 'MetadataAuthFailed');
  assert.equal(classifyJuiceFSFailure(line('database is not formatted, please run `juicefs format ...` first')).reason, 'NotFormatted');
  const s3 = classifyJuiceFSFailure(line('Storage s3://b is not configured correctly: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist'));
  assert.equal(s3.reason, 'ObjectStorageAuthFailed');
  assert.equal(s3.detail, 'Storage s3://b is not configured correctly: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist');
  assert.equal(classifyJuiceFSFailure('something odd').reason, 'JuiceFSFailed');
});

test('sumSamples adds every label set of a metric', () => {
  const m = sumSamples('# HELP x\n# TYPE juicefs_blockcache_hits counter\njuicefs_blockcache_hits{mp="/a",vol_name="t"} 3\njuicefs_blockcache_hits{mp="/b"} 4\njuicefs_used_space 1.5e3\nbad line\n');
  assert.equal(m.get('juicefs_blockcache_hits'), 7);
  assert.equal(m.get('juicefs_used_space'), 1500);
});

test('juicefsDatasetStatus: cached per node is its largest client, hit ratio over all clients', () => {
  const s = (over: Partial<JuiceFSStats>): JuiceFSStats => ({ ready: true, usedBytes: 1000, fileCount: 8, cacheBytes: 0, cacheHits: 0, cacheMisses: 0, cacheHitBytes: 0, cacheMissBytes: 0, ...over });
  const st = juicefsDatasetStatus([
    { node: 'n1', stats: s({ cacheBytes: 400, cacheHits: 3, cacheMisses: 1, cacheHitBytes: 300, cacheMissBytes: 100 }) },
    { node: 'n1', stats: s({ cacheBytes: 500 }) },
    { node: 'n2', stats: s({ cacheBytes: 100 }) },
    { node: 'n3', stats: s({ ready: false, cacheBytes: 999 }) },
  ], 2000);
  assert.equal(st?.cachedBytes, 600);
  assert.equal(st?.ufsTotalBytes, 1000);
  assert.equal(st?.cacheStates['cacheHitRatio'], '75.0%');
  assert.equal(st?.cacheStates['cacheThroughputRatio'], '75.0%');
  assert.equal(juicefsDatasetStatus([], 1), undefined);
});

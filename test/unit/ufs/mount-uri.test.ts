import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountPoint, redactUri } from '../../../src/core/ufs/mount-uri.js';
import { describeMount } from '../../../src/core/ufs/describe-mount.js';
import { UfsConfigError } from '../../../src/core/ufs/ufs-errors.js';

test('GIVEN local mount points WHEN parsed THEN the absolute directory is returned', () => {
  assert.deepEqual(parseMountPoint('local:///mnt/data/'), { scheme: 'local', dir: '/mnt/data' });
  assert.deepEqual(parseMountPoint('/mnt/data'), { scheme: 'local', dir: '/mnt/data' });
  assert.throws(() => parseMountPoint('local://mnt/data'), UfsConfigError);
});

test('GIVEN web mount points WHEN parsed THEN the base URL ends with a slash', () => {
  assert.deepEqual(parseMountPoint('https://mirrors.tuna.tsinghua.edu.cn/apache/hbase/stable/'), {
    scheme: 'https', baseUrl: 'https://mirrors.tuna.tsinghua.edu.cn/apache/hbase/stable/',
  });
  assert.deepEqual(parseMountPoint('http://127.0.0.1:81/dir'), { scheme: 'http', baseUrl: 'http://127.0.0.1:81/dir/' });
});

test('GIVEN bucket mount points WHEN parsed THEN bucket and slash-terminated prefix are split', () => {
  assert.deepEqual(parseMountPoint('oss://my-bucket/a/b'), { scheme: 'oss', bucket: 'my-bucket', prefix: 'a/b/' });
  assert.deepEqual(parseMountPoint('s3://bkt'), { scheme: 's3', bucket: 'bkt', prefix: '' });
  assert.deepEqual(parseMountPoint('S3A://bkt/'), { scheme: 's3a', bucket: 'bkt', prefix: '' });
});

test('GIVEN an unknown scheme WHEN parsed THEN UfsConfigError lists the supported ones', () => {
  assert.throws(() => parseMountPoint('ftp://host/x'), (e: unknown) => e instanceof UfsConfigError && /unsupported scheme "ftp:\/\/"/.test(e.message));
  assert.throws(() => parseMountPoint(''), UfsConfigError);
  assert.throws(() => parseMountPoint('relative/dir'), UfsConfigError);
});

test('GIVEN credentials in a URI WHEN described THEN they are redacted', () => {
  assert.equal(redactUri('https://user:pa55@host/dir/'), 'https://***@host/dir/');
  assert.equal(redactUri('https://host/d/?X-Amz-Signature=abc&x=1&token=zz'), 'https://host/d/?X-Amz-Signature=***&x=1&token=***');
  assert.equal(describeMount({ mountPoint: 'http://u:secretpw@h/x/' }), 'http://***@h/x/');
  assert.throws(() => parseMountPoint('s3://key:secret@bucket/x'), (e: unknown) => e instanceof Error && !e.message.includes('secret@'));
});

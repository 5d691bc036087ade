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

import { engineParsedSchemes, parsePvcMountPoint } from '../../../src/core/ufs/mount-uri.js';
import { mountSchemes } from '../../../src/api/kinds/mount-schemes.js';
import { ALLUXIO, cacheEngine } from '../../../src/core/reconcile/cache-engine.js';
import type { FuseConfig } from '../../../src/api/engine-config.js';

test('GIVEN the scheme registry THEN every engine scheme admission accepts is parsed by the engine or resolved by the plan (pvc)', () => {
  const engine = mountSchemes.filter((s) => s.runtime === 'engine').map((s) => s.scheme);
  assert.deepEqual([...engineParsedSchemes, 'pvc'].sort(), [...engine].sort());
  for (const scheme of engineParsedSchemes) {
    const mp = scheme === 'local' ? 'local:///d' : scheme.startsWith('http') ? `${scheme}://h/d/` : `${scheme}://bucket/d`;
    assert.doesNotThrow(() => parseMountPoint(mp), mp);
  }
  assert.throws(() => parseMountPoint('pvc://claim/x'), (e: unknown) => e instanceof UfsConfigError && /resolved to the claim's directory/.test(e.message));
});

test('GIVEN pvc://<claim>/<path> THEN claim and path are split, and a bad claim name is refused', () => {
  assert.deepEqual(parsePvcMountPoint('pvc://data-claim/sub/dir/'), { claim: 'data-claim', subPath: '/sub/dir' });
  assert.deepEqual(parsePvcMountPoint('pvc://data-claim'), { claim: 'data-claim', subPath: '/' });
  assert.equal(parsePvcMountPoint('s3://b/x'), undefined);
  assert.throws(() => parsePvcMountPoint('pvc://Bad_Claim/x'), UfsConfigError);
  assert.throws(() => parsePvcMountPoint('pvc://c/../x'), UfsConfigError);
});

test('GIVEN a pvc:// mount WHEN planned THEN every engine pod mounts the claim and the UFS is the claim directory under it', () => {
  const r = cacheEngine(ALLUXIO).plan({
    kind: 'AlluxioRuntime', namespace: 'default', name: 'hbase', ports: { master: [1], worker: [2], fuse: 3 },
    spec: { replicas: 1, tieredstore: { levels: [{ mediumtype: 'MEM', path: '/dev/shm', quota: '1Gi' }] } },
    dataset: { name: 'hbase', namespace: 'default', mounts: [{ mountPoint: 'pvc://data-claim/sub', name: 'hbase' }] },
    layout: { hostRoot: '/h', shmRoot: '/dev/shm/fluid-x', host: '127.0.0.1' }, masterHosts: ['127.0.0.1'],
  });
  assert.ok(r.ok);
  for (const role of [r.plan.master, r.plan.worker, r.plan.fuse]) {
    assert.ok(role?.volumes.some((v) => v.persistentVolumeClaim?.claimName === 'data-claim'));
    assert.ok(role?.container.volumeMounts?.some((m) => m.mountPath === '/underFSStorage/data-claim'));
  }
  const fuse = JSON.parse(r.plan.configs['fuse.json'] ?? '') as FuseConfig;
  assert.equal(fuse.mounts[0]?.mountPoint, '/underFSStorage/data-claim/sub');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveS3Settings, type S3OptionSource } from '../../../src/core/ufs/s3-options.js';
import { UfsConfigError } from '../../../src/core/ufs/ufs-errors.js';

function source(options: Record<string, string>, secrets: Record<string, string> = {}): S3OptionSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    options,
    secretNames: new Set(Object.keys(secrets)),
    secret: (name) => { reads.push(name); return secrets[name] as string; },
    reads,
  };
}

test('GIVEN seed 000 oss options with encrypted keys WHEN resolved THEN endpoint gets http://, path style and the encrypted credentials', () => {
  const src = source({ 'fs.oss.endpoint': '127.0.0.1:9000' }, { 'fs.oss.accessKeyId': 'AK', 'fs.oss.accessKeySecret': 'SK' });
  const s = resolveS3Settings('oss', src);
  assert.equal(s.endpoint, 'http://127.0.0.1:9000');
  assert.equal(s.endpointOption, 'fs.oss.endpoint');
  assert.equal(s.forcePathStyle, true);
  assert.equal(s.region, 'us-east-1');
  assert.deepEqual(s.credentials, { accessKeyId: 'AK', secretAccessKey: 'SK' });
  assert.equal(s.credentialOptions, 'fs.oss.accessKeyId/fs.oss.accessKeySecret');
  assert.deepEqual(src.reads.sort(), ['fs.oss.accessKeyId', 'fs.oss.accessKeySecret']);
});

test('GIVEN an Aliyun OSS endpoint WHEN resolved THEN virtual-hosted style is the default', () => {
  const s = resolveS3Settings('oss', source({ 'fs.oss.endpoint': 'oss-cn-beijing.aliyuncs.com' }));
  assert.equal(s.forcePathStyle, false);
  assert.equal(s.credentials, undefined);
});

test('GIVEN s3a options WHEN resolved THEN region, explicit path style and session token are honoured', () => {
  const s = resolveS3Settings('s3a', source({
    'fs.s3a.endpoint': 'https://minio.local:9000/', 'fs.s3a.endpoint.region': 'eu-west-1', 'fs.s3a.path.style.access': 'false',
    'fs.s3a.access.key': 'A', 'fs.s3a.secret.key': 'B', 'fs.s3a.session.token': 'T',
  }));
  assert.equal(s.endpoint, 'https://minio.local:9000');
  assert.equal(s.region, 'eu-west-1');
  assert.equal(s.forcePathStyle, false);
  assert.deepEqual(s.credentials, { accessKeyId: 'A', secretAccessKey: 'B', sessionToken: 'T' });
});

test('GIVEN no endpoint for s3 WHEN resolved THEN the AWS default endpoint and virtual-hosted style are used', () => {
  const s = resolveS3Settings('s3', source({ 'aws.accessKeyId': 'a', 'aws.secretAccessKey': 'b', 'aws.region': 'ap-south-1' }));
  assert.equal(s.endpoint, undefined);
  assert.equal(s.forcePathStyle, false);
  assert.equal(s.region, 'ap-south-1');
});

test('GIVEN seed 000 fs.oss.* option names on an s3:// or s3a:// mount WHEN resolved THEN the endpoint, region and credentials are honoured', () => {
  const cases: { scheme: 's3' | 's3a'; options: Record<string, string>; endpoint: string; option: string }[] = [
    { scheme: 's3', options: { 'fs.oss.endpoint': '127.0.0.1:9000' }, endpoint: 'http://127.0.0.1:9000', option: 'fs.oss.endpoint' },
    { scheme: 's3a', options: { 'fs.oss.endpoint': 'https://oss.local' }, endpoint: 'https://oss.local', option: 'fs.oss.endpoint' },
    // the scheme's own names win over another family's
    { scheme: 's3', options: { 'fs.oss.endpoint': 'a:1', 'aws.endpoint': 'b:2' }, endpoint: 'http://b:2', option: 'aws.endpoint' },
    { scheme: 's3a', options: { 'fs.oss.endpoint': 'a:1', 'fs.s3a.endpoint': 'c:3' }, endpoint: 'http://c:3', option: 'fs.s3a.endpoint' },
  ];
  for (const c of cases) {
    const s = resolveS3Settings(c.scheme, source({ ...c.options, 'fs.oss.region': 'cn-beijing' }, { 'fs.oss.accessKeyId': 'AK', 'fs.oss.accessKeySecret': 'SK' }));
    assert.equal(s.endpoint, c.endpoint, `${c.scheme} ${JSON.stringify(c.options)}`);
    assert.equal(s.endpointOption, c.option);
    assert.equal(s.forcePathStyle, true);
    assert.equal(s.region, 'cn-beijing');
    assert.deepEqual(s.credentials, { accessKeyId: 'AK', secretAccessKey: 'SK' });
  }
});

test('GIVEN minio-style and plain key names WHEN resolved THEN they are accepted in priority order', () => {
  assert.equal(resolveS3Settings('s3', source({ 'minio-url': 'h:1', 'minio-access-key': 'm', 'minio-access-secret': 'n' })).credentialOptions, 'minio-access-key/minio-access-secret');
  assert.equal(resolveS3Settings('s3', source({ endpoint: 'h:1', 'access-key': 'm', 'secret-key': 'n' })).credentialOptions, 'access-key/secret-key');
});

test('GIVEN half a credential pair or bad values WHEN resolved THEN UfsConfigError names the option and never the value', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ 'fs.s3a.secret.key': 'TOPSECRET' }, /option fs\.s3a\.access\.key: required because fs\.s3a\.secret\.key is set/],
    [{ 'aws.accessKeyId': 'x' }, /option aws\.secretAccessKey: required/],
    [{ endpoint: 'ftp://h' }, /option endpoint: endpoint scheme/],
    [{ endpoint: 'http://u:TOPSECRET@h' }, /option endpoint: credentials in the endpoint URL/],
    [{ 'aws.forcePathStyle': 'yes' }, /option aws\.forcePathStyle: expected "true" or "false"/],
    [{ region: 'us east' }, /option region/],
  ];
  for (const [options, re] of bad) {
    assert.throws(() => resolveS3Settings('s3', source(options)), (e: unknown) => e instanceof UfsConfigError && re.test(e.message) && !e.message.includes('TOPSECRET'));
  }
  assert.throws(() => resolveS3Settings('oss', source({})), /fs\.oss\.endpoint: required/);
});

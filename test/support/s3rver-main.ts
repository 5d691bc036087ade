// Child-process entry: node s3rver-main.js PORT DIR [BUCKET...]; prints S3RVER_READY when listening
// on $S3RVER_ADDRESS (default 127.0.0.1).
import S3rver from 's3rver';

const [portArg, dir, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  port: Number(portArg),
  address: process.env['S3RVER_ADDRESS'] ?? '127.0.0.1',
  directory: dir ?? '/tmp/s3rver',
  silent: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
server.run().then(() => {
  process.stdout.write('S3RVER_READY\n');
}).catch((err: unknown) => {
  process.stderr.write(`s3rver failed: ${String(err)}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => { void server.close().finally(() => process.exit(0)); });

// Child process of `startS3rver` (start-s3rver.ts): runs s3rver on 127.0.0.1, a free port, the
// folder and buckets given as JSON in argv[2]; prints `{"port":N}` on one stdout line when it
// listens, and stops when its stdin closes (so it never outlives the test process) or on SIGTERM.
// It must run under `node --openssl-legacy-provider`: s3rver's ListObjectsV2 continuation tokens
// use DES, which Node 17+ only offers through the legacy provider.
import S3rver from 's3rver';

const { dir, buckets } = JSON.parse(process.argv[2] ?? '{}');
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: dir,
  silent: true,
  configureBuckets: (buckets ?? []).map((name) => ({ name })),
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);

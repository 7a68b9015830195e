import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { errorOf } from '@myelin/errors/testing';
import { artifactStoreContract, startS3rver, type RunningS3rver } from '../testing/index.js';
import { S3ArtifactStore } from './s3-artifact-store.js';
import type { S3ArtifactStoreOptions } from './s3-artifact-store-options.js';

const BUCKET = 'myelin-test';
const MIB = 1024 * 1024;
let s3: RunningS3rver;
let raw: S3Client;
let n = 0;

beforeAll(async () => {
  s3 = await startS3rver({ buckets: [BUCKET] });
  raw = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}, 60_000);

afterAll(async () => {
  raw?.destroy();
  await s3?.stop();
});

function makeStore(extra: Partial<S3ArtifactStoreOptions> = {}): S3ArtifactStore {
  return new S3ArtifactStore({
    bucket: BUCKET,
    prefix: `t${++n}-${randomBytes(4).toString('hex')}`,
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    ...extra,
  });
}

/** Every object key in the bucket under `prefix`, as the raw SDK sees it. */
async function rawKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await raw.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function removeAll(prefix: string): Promise<void> {
  for (const Key of await rawKeys(prefix)) await raw.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));
}

/** Records each request the store's client sends (each attempt), with its final headers. */
function recordRequests(client: S3Client): { command: string; headers: Record<string, string> }[] {
  const seen: { command: string; headers: Record<string, string> }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      seen.push({ command: context.commandName ?? '', headers: { ...headers } });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'myelinTestRecorder' },
  );
  return seen;
}

async function sha256Of(stream: AsyncIterable<Uint8Array>): Promise<{ sha: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { sha: hash.digest('hex'), size };
}

/** `total` bytes in 64 KiB chunks, each a different byte pattern; counts what it has produced. */
function patterned(total: number, failAfter?: number) {
  const counter = { produced: 0 };
  const chunkBytes = 64 * 1024;
  const chunkAt = (i: number): Buffer => {
    const c = Buffer.alloc(Math.min(chunkBytes, total - i * chunkBytes), i % 251);
    c.writeUInt32BE(i, 0);
    return c;
  };
  async function* gen(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i * chunkBytes < total; i++) {
      if (failAfter !== undefined && counter.produced >= failAfter) throw new Error('source went away');
      const c = chunkAt(i);
      counter.produced += c.length;
      yield c;
    }
  }
  const expected = createHash('sha256');
  for (let i = 0; i * chunkBytes < total; i++) expected.update(chunkAt(i));
  return { gen, counter, sha: expected.digest('hex') };
}

artifactStoreContract('S3ArtifactStore on s3rver', async () => {
  const store = makeStore();
  return {
    store,
    cleanup: async () => {
      await removeAll(store.prefix);
      store.client.destroy();
    },
    corrupt: async (key) => {
      const Key = store.prefix + key;
      const res = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      const bytes = Buffer.from(await (res.Body as NonNullable<typeof res.Body>).transformToByteArray());
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] ?? 0) ^ 0xff;
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: bytes }));
    },
  };
});

describe('S3ArtifactStore on s3rver', () => {
  it('lays content out as <prefix>sha256/ab/<62 hex> and describes itself as s3:// URIs', async () => {
    const store = makeStore();
    const { key } = await store.put(Buffer.from('layout'));
    expect(await rawKeys(store.prefix)).toEqual([store.prefix + key]);
    expect(store.describe()).toBe(`s3://${BUCKET}/${store.prefix}`);
    expect(store.locate(key)).toBe(`s3://${BUCKET}/${store.prefix}${key}`);
    await removeAll(store.prefix);
  });

  it('streams a multipart upload of more than 10 MB without holding it all, then copies and drops the temp object', async () => {
    const partSize = 5 * MIB;
    const store = makeStore({ partSize, queueSize: 1 });
    const seen = recordRequests(store.client);
    const total = 12 * MIB + 123;
    const { gen, counter, sha } = patterned(total);
    const leadAtPart: number[] = [];
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand') leadAtPart.push(counter.produced);
        return next(args);
      },
      { step: 'initialize', name: 'myelinTestLead' },
    );

    const put = await store.put(gen(), { contentType: 'application/octet-stream' });
    expect(put.sha256).toBe(sha);
    expect(put.size).toBe(total);
    const commands = seen.map((s) => s.command);
    expect(commands).toContain('CreateMultipartUploadCommand');
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(commands).toContain('CopyObjectCommand');
    // When the first part went out, the source had produced about one part, not the whole stream:
    // the upload pulls the stream as parts drain.
    expect(leadAtPart[0]).toBeLessThan(total);
    expect(leadAtPart[0]).toBeLessThanOrEqual(3 * partSize);
    // Only the content key remains: the temp object is gone.
    expect(await rawKeys(store.prefix)).toEqual([store.prefix + put.key]);
    expect(await store.head(put.key)).toEqual({ key: put.key, size: total });
    expect(await sha256Of(await store.get(put.key))).toEqual({ sha, size: total });

    // The same content again: same key, no second copy.
    seen.length = 0;
    const again = await store.put(patterned(total).gen());
    expect(again).toEqual(put);
    expect(seen.map((s) => s.command)).not.toContain('CopyObjectCommand');
    expect(await rawKeys(store.prefix)).toEqual([store.prefix + put.key]);
    await removeAll(store.prefix);
  });

  it('sends small content with one PutObject to its content key (no temp object, sha256 checksum sent)', async () => {
    const store = makeStore();
    const seen = recordRequests(store.client);
    const bytes = Buffer.from('small and atomic');
    const put = await store.put(bytes);
    const puts = seen.filter((s) => s.command === 'PutObjectCommand');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.headers['x-amz-checksum-sha256']).toBe(Buffer.from(put.sha256, 'hex').toString('base64'));
    expect(seen.map((s) => s.command)).not.toContain('CopyObjectCommand');
    expect(await rawKeys(store.prefix)).toEqual([store.prefix + put.key]);
    await removeAll(store.prefix);
  });

  it('never sends aws-chunked bodies or CRC trailers, whatever the SDK checksum setting in the environment', async () => {
    const saved = [
      process.env['AWS_REQUEST_CHECKSUM_CALCULATION'],
      process.env['AWS_RESPONSE_CHECKSUM_VALIDATION'],
    ];
    process.env['AWS_REQUEST_CHECKSUM_CALCULATION'] = 'WHEN_SUPPORTED';
    process.env['AWS_RESPONSE_CHECKSUM_VALIDATION'] = 'WHEN_SUPPORTED';
    let store: S3ArtifactStore;
    try {
      store = makeStore({ partSize: 5 * MIB });
    } finally {
      const [req, res] = saved;
      if (req === undefined) delete process.env['AWS_REQUEST_CHECKSUM_CALCULATION'];
      else process.env['AWS_REQUEST_CHECKSUM_CALCULATION'] = req;
      if (res === undefined) delete process.env['AWS_RESPONSE_CHECKSUM_VALIDATION'];
      else process.env['AWS_RESPONSE_CHECKSUM_VALIDATION'] = res;
    }
    const seen = recordRequests(store.client);
    const big = patterned(6 * MIB);
    const a = await store.put(big.gen());
    const b = await store.put(Buffer.from('small'));
    for (const { command, headers } of seen) {
      expect(headers['content-encoding'] ?? '', command).not.toContain('aws-chunked');
      expect(
        Object.keys(headers).filter((h) => /^x-amz-(checksum-crc|trailer)/.test(h)),
        command,
      ).toEqual([]);
    }
    expect(await sha256Of(await store.get(a.key))).toEqual({ sha: big.sha, size: 6 * MIB });
    expect(Buffer.from(await store.getBytes(b.key)).toString()).toBe('small');
    await removeAll(store.prefix);
  });

  it('leaves nothing behind when the source stream fails midway (multipart and single part)', async () => {
    const store = makeStore({ partSize: 5 * MIB });
    const seen = recordRequests(store.client);
    const big = patterned(12 * MIB, 7 * MIB);
    await expect(store.put(big.gen())).rejects.toThrow('source went away');
    // The multipart upload is aborted (s3rver answers 405 to that; S3 drops the parts).
    expect(seen.map((s) => s.command)).toContain('AbortMultipartUploadCommand');
    expect(await store.head(`sha256/${big.sha.slice(0, 2)}/${big.sha.slice(2)}`)).toBeNull();
    const small = patterned(1 * MIB, 256 * 1024);
    await expect(store.put(small.gen())).rejects.toThrow('source went away');
    expect(await store.head(`sha256/${small.sha.slice(0, 2)}/${small.sha.slice(2)}`)).toBeNull();
    expect(await rawKeys(store.prefix)).toEqual([]);
    const all = [];
    for await (const x of store.list('')) all.push(x);
    expect(all).toEqual([]);
  });

  it('pages through ListObjectsV2 with continuation tokens', async () => {
    const store = makeStore({ listPageSize: 2 });
    const seen = recordRequests(store.client);
    const keys: string[] = [];
    for (let i = 0; i < 7; i++) keys.push((await store.put(Buffer.from(`object ${i}`))).key);
    for (const name of ['a', 'b/c', 'd']) await store.putRef(name, keys[0] as string);
    seen.length = 0;
    const listed = [];
    for await (const x of store.list('')) listed.push(x.key);
    expect(listed).toEqual([...keys].sort());
    expect(seen.filter((s) => s.command === 'ListObjectsV2Command').length).toBeGreaterThanOrEqual(4);
    const refs = [];
    for await (const r of store.listRefs('')) refs.push(r);
    expect(refs).toEqual(['a', 'b/c', 'd']);
    await removeAll(store.prefix);
  });

  it('asks for server-side encryption on every write (KMS with a key id, and AES256)', async () => {
    const kms = makeStore({
      partSize: 5 * MIB,
      serverSideEncryption: { type: 'aws:kms', keyId: 'alias/myelin' },
    });
    const seen = recordRequests(kms.client);
    const { key } = await kms.put(patterned(6 * MIB).gen());
    await kms.put(Buffer.from('small'));
    await kms.putRef('latest', key);
    const writes = seen.filter((s) =>
      ['PutObjectCommand', 'CreateMultipartUploadCommand', 'CopyObjectCommand'].includes(s.command),
    );
    expect(writes.map((w) => w.command).sort()).toEqual([
      'CopyObjectCommand',
      'CreateMultipartUploadCommand',
      'PutObjectCommand',
      'PutObjectCommand',
    ]);
    for (const w of writes) {
      expect(w.headers['x-amz-server-side-encryption'], w.command).toBe('aws:kms');
      expect(w.headers['x-amz-server-side-encryption-aws-kms-key-id'], w.command).toBe('alias/myelin');
    }
    const aes = makeStore({ serverSideEncryption: { type: 'AES256' } });
    const aesSeen = recordRequests(aes.client);
    await aes.put(Buffer.from('aes'));
    const put = aesSeen.find((s) => s.command === 'PutObjectCommand');
    expect(put?.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBeUndefined();
    await removeAll(kms.prefix);
    await removeAll(aes.prefix);
  });

  it('removes stale temp objects of crashed writers on the first put, and keeps young ones', async () => {
    const store = makeStore({ staleTempAfterMs: 0 });
    await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${store.prefix}tmp/dead`, Body: 'x' }));
    await store.put(Buffer.from('first'));
    expect((await rawKeys(store.prefix)).filter((k) => k.includes('/tmp/'))).toEqual([]);
    const young = makeStore({ prefix: store.prefix });
    await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${store.prefix}tmp/live`, Body: 'x' }));
    await young.put(Buffer.from('second'));
    expect(await rawKeys(`${store.prefix}tmp/`)).toEqual([`${store.prefix}tmp/live`]);
    expect(await store.cleanupTempObjects(0)).toBe(1);
    await removeAll(store.prefix);
  });

  it('reports a damaged ref as MYELIN_ERR_ARTIFACT_INTEGRITY', async () => {
    const store = makeStore();
    await raw.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${store.prefix}refs/bad`, Body: 'not a key' }),
    );
    expect((await errorOf(store.getRef('bad'))).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    await removeAll(store.prefix);
  });

  describe('checkAccess', () => {
    it('passes for a bucket that exists', async () => {
      await expect(makeStore().checkAccess()).resolves.toBeUndefined();
    });

    it('says a missing bucket does not exist at the endpoint', async () => {
      const store = makeStore({ bucket: 'no-such-bucket' });
      const err = await errorOf(store.checkAccess());
      expect(err.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
      expect(err.message).toContain(`bucket no-such-bucket does not exist at endpoint ${s3.endpoint}`);
      // Other calls on a missing bucket are I/O errors too, not "artifact not found".
      const get = await errorOf(store.getBytes(`sha256/00/${'0'.repeat(62)}`));
      expect(get.code).toBe('MYELIN_ERR_ARTIFACT_IO');
      expect(get.message).toContain('does not exist');
    });

    it('says the credentials were rejected', async () => {
      // s3rver does not check V4 signatures, only that the access key id is known.
      const store = makeStore({ credentials: { accessKeyId: 'UNKNOWN', secretAccessKey: 'S3RVER' } });
      const err = await errorOf(store.checkAccess());
      expect(err.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
      expect(err.message).toContain('credentials rejected');
      const put = await errorOf(store.put(Buffer.from('x')));
      expect(put.message).toContain('credentials rejected');
      expect(put.message).toContain('HTTP 403');
    });

    it('says an unreachable endpoint cannot be reached', async () => {
      const port = await closedPort();
      const endpoint = `http://127.0.0.1:${port}`;
      const store = makeStore({ endpoint, maxAttempts: 2 });
      const err = await errorOf(store.checkAccess());
      expect(err.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
      expect(err.message).toContain(`cannot reach S3 endpoint ${endpoint}`);
      expect(err.message).toContain('ECONNREFUSED');
      const put = await errorOf(store.put(Buffer.from('x')));
      expect(put.message).toContain('cannot reach S3 endpoint');
    });
  });

  it('rejects bad options with MYELIN_ERR_ARTIFACT_CONFIG', () => {
    const config = (o: Partial<S3ArtifactStoreOptions>): string | undefined => {
      try {
        makeStore(o);
      } catch (e) {
        return (e as MyelinError).code;
      }
      return undefined;
    };
    expect(config({ bucket: 'Bad_Bucket' })).toBe('MYELIN_ERR_ARTIFACT_CONFIG');
    expect(config({ partSize: MIB })).toBe('MYELIN_ERR_ARTIFACT_CONFIG');
    expect(config({ listPageSize: 0 })).toBe('MYELIN_ERR_ARTIFACT_CONFIG');
    expect(config({ prefix: 'a//b' })).toBe('MYELIN_ERR_ARTIFACT_CONFIG');
    expect(config({ prefix: '/a/b' })).toBeUndefined();
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

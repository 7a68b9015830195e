import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
  type _Object as S3ObjectSummary,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MyelinError } from '@myelin/errors';
import type {
  ArtifactContent,
  ArtifactInfo,
  ArtifactStore,
  PutOptions,
  PutResult,
} from '../artifact-store.js';
import {
  assertContentKey,
  assertListPrefix,
  assertRefName,
  assertRefPrefix,
  contentKey,
  parseContentKey,
} from '../artifact-keys.js';
import { contentChunks } from '../content-chunks.js';
import { copyS3Object } from './copy-s3-object.js';
import { holdStreamErrors } from '../hold-stream-errors.js';
import { assertBucketName, normaliseS3Prefix } from './parse-s3-url.js';
import type { S3ArtifactStoreOptions } from './s3-artifact-store-options.js';
import { toS3ArtifactError } from './to-s3-artifact-error.js';
import { verifySha256Stream } from '../verify-sha256-stream.js';

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MIB;

/**
 * The `ArtifactStore` on S3 or any S3-compatible service.
 *
 * Layout under `s3://<bucket>/<prefix>`:
 * - `sha256/ab/<62 hex>` — the content of key `sha256/ab/<62 hex>`;
 * - `refs/<name>` — a ref, its body the target key and a newline;
 * - `tmp/<32 hex>` — a large write in progress.
 *
 * A put hashes the content while it streams. Content up to `partSize` is sent with one PutObject
 * straight to its content key (a PutObject is atomic: the key holds the whole object or nothing,
 * and S3 checks the body against the sha256 sent with it). Larger content streams to a temp key as
 * a multipart upload (at most about `(queueSize + 1) * partSize` bytes in memory), is copied on
 * the server side to its content key once the hash is known, and the temp object is deleted — so a
 * crash never leaves a half-written object under a content key. An object already stored under
 * the key with the same size is left alone (immutable, idempotent).
 *
 * `get` streams and verifies the sha256 at the end; every SDK failure becomes a `MyelinError`
 * (`toS3ArtifactError`). Call `checkAccess()` at start-up for a clear message about a missing
 * bucket, rejected credentials or an unreachable endpoint.
 *
 * @example
 * const store = new S3ArtifactStore({ ...parseS3Url('s3://models/team-a'), region: 'eu-west-1' });
 * await store.checkAccess();
 * const { key } = await store.put(createReadStream('model.bin'));
 */
export class S3ArtifactStore implements ArtifactStore {
  /** The SDK client the store sends its requests with (for middleware, metrics, tests). */
  readonly client: S3Client;
  readonly bucket: string;
  /** `''` or a key prefix ending with `/`. */
  readonly prefix: string;
  /** The endpoint as messages name it: the configured URL or AWS's regional endpoint. */
  readonly endpoint: string;
  readonly #partSize: number;
  readonly #queueSize: number;
  readonly #listPageSize: number;
  readonly #staleTempAfterMs: number;
  readonly #encryption: { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };
  #swept: Promise<void> | undefined;

  constructor(options: S3ArtifactStoreOptions) {
    this.bucket = assertBucketName(options.bucket);
    this.prefix = normaliseS3Prefix(options.prefix ?? '');
    const region = options.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
    this.#partSize = integerOption('partSize', options.partSize, 8 * MIB, MIN_PART_SIZE, 5 * 1024 * MIB);
    this.#queueSize = integerOption('queueSize', options.queueSize, 4, 1, 64);
    this.#listPageSize = integerOption('listPageSize', options.listPageSize, 1000, 1, 1000);
    this.#staleTempAfterMs = integerOption(
      'staleTempAfterMs',
      options.staleTempAfterMs,
      3_600_000,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    const maxAttempts = integerOption('maxAttempts', options.maxAttempts, 5, 1, 100);
    const connectionTimeout = integerOption(
      'connectionTimeoutMs',
      options.connectionTimeoutMs,
      10_000,
      1,
      600_000,
    );
    const sse = options.serverSideEncryption;
    this.#encryption =
      sse === undefined
        ? {}
        : sse.type === 'AES256'
          ? { ServerSideEncryption: 'AES256' }
          : { ServerSideEncryption: 'aws:kms', ...(sse.keyId ? { SSEKMSKeyId: sse.keyId } : {}) };
    this.endpoint = options.endpoint?.replace(/\/+$/, '') ?? `https://s3.${region}.amazonaws.com`;
    // The SDK prints an 8-line notice on every Node below 22 when a client is made; Myelin supports
    // Node 20 (package.json engines), so the notice only alarms. A user who sets the variable keeps it.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    this.client = new S3Client({
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts,
      // Explicit, whatever the SDK's default of the day: no CRC trailers (aws-chunked framing that
      // some S3-compatible services store verbatim) and no CRC checks of responses; the store
      // sends and verifies sha256 itself.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout },
    });
  }

  describe(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  locate(key: string): string {
    assertContentKey(key);
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  /**
   * Checks that the bucket exists and the credentials may use it (HeadBucket). Throws
   * `MYELIN_ERR_STACK_UNREACHABLE` saying "bucket … does not exist at endpoint …", "credentials rejected"
   * or "cannot reach S3 endpoint …".
   */
  async checkAccess(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      // at start-up, a bucket that cannot be used is the stack's fault, not one artifact's
      const io = toS3ArtifactError(e, {
        bucket: this.bucket,
        endpoint: this.endpoint,
        target: `s3://${this.bucket}`,
        action: 'check',
        notFoundIsBucket: true,
      });
      throw new MyelinError('MYELIN_ERR_STACK_UNREACHABLE', io.detail, io.location, { cause: e });
    }
  }

  async put(content: ArtifactContent, opts: PutOptions = {}): Promise<PutResult> {
    const release = holdStreamErrors(content);
    try {
      return await this.#put(content, opts.contentType);
    } finally {
      release();
    }
  }

  async #put(content: ArtifactContent, contentType: string | undefined): Promise<PutResult> {
    this.#swept ??= this.cleanupTempObjects().then(
      () => undefined,
      () => undefined,
    );
    await this.#swept;
    const hash = createHash('sha256');
    const source = contentChunks(content)[Symbol.asyncIterator]();
    // Read up to one part: content that ends by then goes up in one atomic PutObject.
    const head: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      if (size > this.#partSize) return this.#putLarge(head, size, source, hash, contentType);
      const next = await source.next();
      if (next.done) break;
      hash.update(next.value);
      head.push(next.value);
      size += next.value.byteLength;
    }
    const body = head.length === 1 ? (head[0] as Uint8Array) : Buffer.concat(head);
    const sha256 = hash.digest('hex');
    const key = contentKey(sha256);
    const objectKey = this.#objectKey(key);
    if (!(await this.#holds(objectKey, size))) {
      await this.#call(objectKey, 'write', () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: objectKey,
            Body: body,
            ContentLength: size,
            ContentType: contentType,
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            ...this.#encryption,
          }),
        ),
      );
    }
    return { key, sha256, size };
  }

  async #putLarge(
    head: Uint8Array[],
    headSize: number,
    source: AsyncIterator<Uint8Array>,
    hash: ReturnType<typeof createHash>,
    contentType: string | undefined,
  ): Promise<PutResult> {
    let size = headSize;
    let sourceFailed = false;
    let sourceError: unknown;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let done = false;
      try {
        while (head.length > 0) yield head.shift() as Uint8Array;
        for (;;) {
          let next: IteratorResult<Uint8Array>;
          try {
            next = await source.next();
          } catch (e) {
            sourceFailed = true;
            sourceError = e;
            done = true;
            throw e;
          }
          if (next.done) {
            done = true;
            return;
          }
          hash.update(next.value);
          size += next.value.byteLength;
          yield next.value;
        }
      } finally {
        // The upload stopped reading (it failed): let the caller's stream go.
        if (!done) await source.return?.();
      }
    }
    const body = Readable.from(chunks(), { objectMode: false, highWaterMark: MIB });
    const tmpKey = `${this.prefix}tmp/${randomBytes(16).toString('hex')}`;
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tmpKey, Body: body, ContentType: contentType, ...this.#encryption },
      partSize: this.#partSize,
      queueSize: this.#queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      body.destroy();
      await this.#deleteQuietly(tmpKey);
      if (sourceFailed) throw sourceError;
      throw this.#error(e, tmpKey, 'write');
    }
    const sha256 = hash.digest('hex');
    const key = contentKey(sha256);
    const objectKey = this.#objectKey(key);
    try {
      if (!(await this.#holds(objectKey, size))) {
        await this.#call(objectKey, 'write', () =>
          copyS3Object(this.client, {
            bucket: this.bucket,
            from: tmpKey,
            to: objectKey,
            size,
            encryption: this.#encryption,
          }),
        );
      }
    } finally {
      await this.#deleteQuietly(tmpKey);
    }
    return { key, sha256, size };
  }

  async get(key: string): Promise<NodeJS.ReadableStream & AsyncIterable<Uint8Array>> {
    const sha = assertContentKey(key);
    const objectKey = this.#objectKey(key);
    const res = await this.#getObject(objectKey, key);
    const source = res.Body as Readable;
    return verifySha256Stream(source, {
      sha256: sha,
      // Socket chunks are up to 64 KiB: a 16 KiB buffer would pause the socket after every one.
      stream: { highWaterMark: MIB },
      mismatch: (actual) => this.#integrityError(key, objectKey, actual),
      readError: (e) => this.#error(e, objectKey, 'read'),
    });
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const sha = assertContentKey(key);
    const objectKey = this.#objectKey(key);
    const res = await this.#getObject(objectKey, key);
    const bytes = await this.#call(objectKey, 'read', async () => {
      const body = res.Body;
      return body ? Buffer.from(await body.transformToByteArray()) : Buffer.alloc(0);
    });
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha) throw this.#integrityError(key, objectKey, actual);
    return bytes;
  }

  async head(key: string): Promise<ArtifactInfo | null> {
    assertContentKey(key);
    const size = await this.#size(this.#objectKey(key));
    return size === null ? null : { key, size };
  }

  async *list(prefix: string): AsyncIterable<ArtifactInfo> {
    assertListPrefix(prefix);
    // Every content key starts with sha256/: list there unless the prefix is narrower.
    const listPrefix = 'sha256/'.startsWith(prefix) ? 'sha256/' : prefix;
    for await (const o of this.#listObjects(this.prefix + listPrefix)) {
      const key = (o.Key ?? '').slice(this.prefix.length);
      if (parseContentKey(key) !== null && key.startsWith(prefix)) yield { key, size: o.Size ?? 0 };
    }
  }

  async delete(key: string): Promise<void> {
    assertContentKey(key);
    const objectKey = this.#objectKey(key);
    await this.#call(objectKey, 'delete', () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey })),
    );
  }

  async putRef(name: string, key: string): Promise<void> {
    assertRefName(name);
    assertContentKey(key);
    if ((await this.head(key)) === null) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_NOT_FOUND',
        `cannot point ref "${name}" at ${key}: no such artifact in ${this.describe()}`,
      );
    }
    const refKey = this.#refKey(name);
    await this.#call(refKey, 'write', () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: refKey,
          Body: `${key}\n`,
          ContentType: 'text/plain; charset=utf-8',
          ...this.#encryption,
        }),
      ),
    );
  }

  async getRef(name: string): Promise<string | null> {
    const refKey = this.#refKey(assertRefName(name));
    let text: string;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: refKey }));
      text = (await res.Body?.transformToString('utf8')) ?? '';
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.#error(e, refKey, 'read');
    }
    const key = text.trim();
    if (parseContentKey(key) === null) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_INTEGRITY',
        `ref "${name}" is damaged: it holds ${JSON.stringify(key.slice(0, 80))}, not an artifact key; point it again with putRef`,
        { file: this.#uri(refKey) },
      );
    }
    return key;
  }

  async *listRefs(prefix: string): AsyncIterable<string> {
    assertRefPrefix(prefix);
    const refsPrefix = `${this.prefix}refs/`;
    const names: string[] = [];
    for await (const o of this.#listObjects(refsPrefix + prefix)) {
      const name = (o.Key ?? '').slice(refsPrefix.length);
      if (isRefName(name)) names.push(name);
    }
    // S3 lists in byte order, but not every S3-compatible service does (s3rver walks folders).
    names.sort();
    yield* names;
  }

  async deleteRef(name: string): Promise<void> {
    const refKey = this.#refKey(assertRefName(name));
    await this.#call(refKey, 'delete', () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: refKey })),
    );
  }

  /**
   * Deletes temp objects (`<prefix>tmp/…`) left by crashed writers that are older than
   * `olderThanMs` (default: the store's `staleTempAfterMs`). Returns how many it deleted.
   */
  async cleanupTempObjects(olderThanMs: number = this.#staleTempAfterMs): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for await (const o of this.#listObjects(`${this.prefix}tmp/`)) {
      if (o.Key && o.LastModified && o.LastModified.getTime() <= cutoff) {
        await this.#deleteQuietly(o.Key);
        removed++;
      }
    }
    return removed;
  }

  async *#listObjects(s3Prefix: string): AsyncGenerator<S3ObjectSummary> {
    let token: string | undefined;
    do {
      const page = await this.#call(this.#uri(s3Prefix), 'list', () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: s3Prefix,
            MaxKeys: this.#listPageSize,
            ContinuationToken: token,
          }),
        ),
      );
      yield* page.Contents ?? [];
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async #getObject(objectKey: string, key: string): Promise<GetObjectCommandOutput> {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (e) {
      if (isNotFound(e)) {
        throw new MyelinError(
          'MYELIN_ERR_ARTIFACT_NOT_FOUND',
          `artifact ${key} is not in ${this.describe()}`,
          { file: this.#uri(objectKey) },
        );
      }
      throw this.#error(e, objectKey, 'read');
    }
  }

  /** The stored size of an object, or null when it is absent. */
  async #size(objectKey: string): Promise<number | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return res.ContentLength ?? 0;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw this.#error(e, objectKey, 'read');
    }
  }

  /** Whether the object is there with the expected size (a put then has nothing to do). */
  async #holds(objectKey: string, size: number): Promise<boolean> {
    return (await this.#size(objectKey)) === size;
  }

  async #deleteQuietly(objectKey: string): Promise<void> {
    await this.client
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }))
      .catch(() => undefined);
  }

  async #call<T>(objectKey: string, action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.#error(e, objectKey, action);
    }
  }

  #error(e: unknown, objectKey: string, action: string): MyelinError {
    const target = objectKey.startsWith('s3://') ? objectKey : this.#uri(objectKey);
    return toS3ArtifactError(e, { bucket: this.bucket, endpoint: this.endpoint, target, action });
  }

  #integrityError(key: string, objectKey: string, actual: string): MyelinError {
    return new MyelinError(
      'MYELIN_ERR_ARTIFACT_INTEGRITY',
      `artifact ${key} is corrupt: its content hashes to sha256 ${actual}; delete it and store it again from its source`,
      { file: this.#uri(objectKey) },
    );
  }

  #objectKey(key: string): string {
    return this.prefix + key;
  }

  #refKey(name: string): string {
    return `${this.prefix}refs/${name}`;
  }

  #uri(objectKey: string): string {
    return `s3://${this.bucket}/${objectKey}`;
  }
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (err?.name === 'NoSuchBucket') return false;
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
}

function isRefName(name: string): boolean {
  try {
    assertRefName(name);
    return true;
  } catch {
    return false;
  }
}

function integerOption(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_CONFIG',
      `S3ArtifactStore option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

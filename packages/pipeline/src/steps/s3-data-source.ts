import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { MyelinError } from '@myelin/errors';
import { readColumnBatches, type ColumnBatch, type DataFormat } from '@myelin/data';

/** An `s3://bucket/key` or `s3://bucket/prefix/` data source. */
export interface S3DataSource {
  bucket: string;
  /** The object key, or the prefix (ending with `/`) whose objects are all read. */
  key: string;
  /** True for a prefix: every object under it with the format's extension, in key order. */
  prefix: boolean;
}

/** One object of an S3 data source. */
export interface S3DataObject {
  key: string;
  etag: string;
  size: number;
}

const EXTENSIONS: Record<DataFormat, string[]> = {
  csv: ['.csv', '.tsv'],
  json: ['.json'],
  jsonl: ['.jsonl', '.ndjson'],
  parquet: ['.parquet'],
};

/** The S3 source a `data.source` names, or null when it is not `s3://`. */
export function parseS3DataSource(source: string): S3DataSource | null {
  const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(source);
  if (!m) return null;
  const key = m[2] as string;
  return { bucket: m[1] as string, key, prefix: key.endsWith('/') };
}

/**
 * An S3 client for data sources, from the environment: `MYELIN_S3_ENDPOINT` (an S3-compatible
 * service, path-style), `AWS_REGION` (default us-east-1) and the SDK's standard credential chain.
 */
export function s3DataClient(config: S3ClientConfig = {}, env = process.env): S3Client {
  const endpoint = env.MYELIN_S3_ENDPOINT;
  return new S3Client({
    region: env.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
}

function s3Error(src: S3DataSource, e: unknown): MyelinError {
  const name = (e as { name?: string }).name ?? 'Error';
  return new MyelinError(
    'MYELIN_ERR_DATA_READ',
    `s3://${src.bucket}/${src.key}: ${name}: ${e instanceof Error ? e.message : String(e)}`,
    { path: 'data.source' },
    { cause: e },
  );
}

/**
 * The objects a source reads: the one object, or every object under the prefix whose extension
 * belongs to `format` (others, such as `_SUCCESS` markers, are left out), in key order. Their keys,
 * ETags and sizes are the ingest step's cache key, so a new object under the prefix means a new run
 * of the data. An empty prefix is an error.
 */
export async function listS3Data(
  client: S3Client,
  src: S3DataSource,
  format: DataFormat,
): Promise<S3DataObject[]> {
  const out: S3DataObject[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: src.bucket,
          Prefix: src.key,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        if (src.prefix ? !EXTENSIONS[format].includes(extname(o.Key).toLowerCase()) : o.Key !== src.key)
          continue;
        out.push({ key: o.Key, etag: o.ETag ?? '', size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw s3Error(src, e);
  }
  if (out.length === 0) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      src.prefix
        ? `s3://${src.bucket}/${src.key}: no ${EXTENSIONS[format].join('/')} object under the prefix`
        : `s3://${src.bucket}/${src.key}: no such object`,
      { path: 'data.source' },
    );
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Reads the objects one after another as typed column batches: each is streamed to a temp file
 * on local disk (the readers scan files), read, and removed before the next one is fetched.
 */
export async function* readS3Batches(
  client: S3Client,
  src: S3DataSource,
  objects: readonly S3DataObject[],
  format: DataFormat,
): AsyncGenerator<ColumnBatch> {
  const dir = await mkdtemp(join(tmpdir(), 'myelin-s3-data-'));
  try {
    for (const [i, o] of objects.entries()) {
      const path = join(dir, `${i}${extname(o.key)}`);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: src.bucket, Key: o.key }));
        await pipeline(r.Body as Readable, createWriteStream(path));
      } catch (e) {
        throw s3Error({ ...src, key: o.key }, e);
      }
      const tsv = extname(o.key).toLowerCase() === '.tsv';
      yield* readColumnBatches({
        path,
        format,
        display: `s3://${src.bucket}/${o.key}`,
        ...(tsv ? { delimiter: '\t' } : {}),
      });
      await rm(path, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The format of an S3 source: `data.format`, else the object key's extension. */
export function s3DataFormat(src: S3DataSource, format: DataFormat | undefined): DataFormat {
  if (format) return format;
  const ext = extname(src.key).toLowerCase();
  const found = (Object.keys(EXTENSIONS) as DataFormat[]).find((f) => EXTENSIONS[f].includes(ext));
  if (!found) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_FORMAT',
      `s3://${src.bucket}/${src.key}: cannot tell the format; set data.format`,
      { path: 'data.format' },
    );
  }
  return found;
}

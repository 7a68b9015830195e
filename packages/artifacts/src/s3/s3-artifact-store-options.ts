import type { S3ClientConfig } from '@aws-sdk/client-s3';

/** Server-side encryption asked of S3 for every object the store writes. */
export type S3ServerSideEncryption = { type: 'AES256' } | { type: 'aws:kms'; keyId?: string };

/** Options of `S3ArtifactStore`. */
export interface S3ArtifactStoreOptions {
  /** The bucket (must exist; `checkAccess()` says so clearly when it does not). No default. */
  bucket: string;
  /**
   * Key prefix of everything the store writes (`team-a/artifacts`). Normalised to end with `/`;
   * a leading `/` is dropped.
   * @defaultValue `''` (the bucket root)
   */
  prefix?: string;
  /**
   * URL of an S3-compatible service (MinIO, Ceph, R2, s3rver, …). Unset: AWS S3 of `region`.
   * @defaultValue undefined
   */
  endpoint?: string;
  /**
   * Path-style addressing (`endpoint/bucket/key`) instead of virtual-host style.
   * @defaultValue `true` when `endpoint` is set, else `false`
   */
  forcePathStyle?: boolean;
  /**
   * The bucket's region.
   * @defaultValue `process.env.AWS_REGION`, else `'us-east-1'`
   */
  region?: string;
  /**
   * Access key, or a provider of one. Unset: the SDK's standard credential chain (env vars,
   * shared config/SSO profile, web identity, ECS/EC2 instance role).
   * @defaultValue undefined
   */
  credentials?: S3ClientConfig['credentials'];
  /**
   * Server-side encryption for every object written (content, temp objects and refs).
   * @defaultValue undefined (the bucket's default encryption applies)
   */
  serverSideEncryption?: S3ServerSideEncryption;
  /**
   * Attempts per request, counting the first: the SDK retries 5xx, throttling, timeouts and
   * connection errors with exponential backoff and jitter.
   * @defaultValue 5
   */
  maxAttempts?: number;
  /**
   * Bytes per part of a multipart upload (at least 5 MiB, S3's minimum). Content up to this size
   * is sent with one atomic PutObject straight to its content key.
   * @defaultValue 8 MiB (8_388_608)
   */
  partSize?: number;
  /**
   * Parts of one upload in flight at once. A put buffers at most about `(queueSize + 1) * partSize`
   * bytes, whatever the artifact's size.
   * @defaultValue 4
   */
  queueSize?: number;
  /**
   * Keys asked per ListObjectsV2 page (1–1000).
   * @defaultValue 1000
   */
  listPageSize?: number;
  /**
   * Milliseconds to wait for a TCP connection before the attempt fails (and is retried).
   * @defaultValue 10_000
   */
  connectionTimeoutMs?: number;
  /**
   * Temp objects (`<prefix>tmp/…`) left by crashed writers that are older than this are removed by
   * the first put of this store instance (and by `cleanupTempObjects()`). Younger ones may belong
   * to a writer in another process and are left alone. Abandoned multipart uploads are S3's to
   * expire: add an AbortIncompleteMultipartUpload lifecycle rule to the bucket.
   * @defaultValue 3_600_000 (one hour)
   */
  staleTempAfterMs?: number;
}

import { MyelinError } from '@myelin/errors';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Splits an `s3://bucket/some/prefix` URL into its bucket and key prefix; the prefix is normalised
 * to `''` or to end with `/`. Throws `MYELIN_ERR_ARTIFACT_CONFIG` for anything else.
 *
 * @example
 * parseS3Url('s3://models/team-a/artifacts') // { bucket: 'models', prefix: 'team-a/artifacts/' }
 * parseS3Url('s3://models')                  // { bucket: 'models', prefix: '' }
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = typeof url === 'string' ? /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/.exec(url) : null;
  if (!m) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_CONFIG',
      `${JSON.stringify(url)} is not an S3 URL: expected s3://<bucket>[/<prefix>]`,
    );
  }
  const bucket = assertBucketName(m[1] ?? '');
  return { bucket, prefix: normaliseS3Prefix(m[2] ?? '') };
}

/** Checks an S3 bucket name (3–63 lower-case letters, digits, `.` and `-`); throws `MYELIN_ERR_ARTIFACT_CONFIG`. */
export function assertBucketName(bucket: unknown): string {
  if (typeof bucket !== 'string' || !BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_CONFIG',
      `${JSON.stringify(bucket)} is not a valid S3 bucket name: expected 3-63 lower-case letters, digits, "." and "-"`,
    );
  }
  return bucket;
}

/**
 * Normalises a key prefix: `''` stays `''`, a leading `/` is dropped, a trailing `/` is added.
 * Empty segments (`a//b`) and `.`/`..` segments are rejected with `MYELIN_ERR_ARTIFACT_CONFIG`.
 *
 * @example normaliseS3Prefix('/team-a/artifacts') // 'team-a/artifacts/'
 */
export function normaliseS3Prefix(prefix: string): string {
  let p = prefix.startsWith('/') ? prefix.slice(1) : prefix;
  if (p === '') return '';
  if (p.endsWith('/')) p = p.slice(0, -1);
  const bad = p
    .split('/')
    .some((s) => s === '' || s === '.' || s === '..' || /[\u0000-\u001f\u007f\\]/.test(s));
  if (bad) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_CONFIG',
      `${JSON.stringify(prefix)} is not a valid S3 key prefix: no empty, "." or ".." segment, no control characters or "\\"`,
    );
  }
  return `${p}/`;
}

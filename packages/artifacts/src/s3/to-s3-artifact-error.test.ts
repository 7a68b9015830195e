import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { toS3ArtifactError, type S3ErrorContext } from './to-s3-artifact-error.js';

const ctx: S3ErrorContext = {
  bucket: 'models',
  endpoint: 'https://s3.eu-west-1.amazonaws.com',
  target: 's3://models/sha256/ab/cd',
  action: 'read',
};

function sdkError(name: string, status: number | undefined, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('toS3ArtifactError', () => {
  it('passes a MyelinError through', () => {
    const e = new MyelinError('MYELIN_ERR_ARTIFACT_NOT_FOUND', 'gone');
    expect(toS3ArtifactError(e, ctx)).toBe(e);
  });

  it('names the failure and keeps the cause', () => {
    const cases: [unknown, string][] = [
      [
        sdkError('NoSuchBucket', 404),
        'bucket models does not exist at endpoint https://s3.eu-west-1.amazonaws.com',
      ],
      [
        sdkError('InvalidAccessKeyId', 403),
        'credentials rejected by https://s3.eu-west-1.amazonaws.com for bucket models (HTTP 403 InvalidAccessKeyId)',
      ],
      [sdkError('Unknown', 403), 'credentials rejected'],
      [sdkError('PermanentRedirect', 301), 'is not in the configured region'],
      [
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
        'cannot reach S3 endpoint https://s3.eu-west-1.amazonaws.com (ECONNREFUSED)',
      ],
      [
        new AggregateError([Object.assign(new Error('x'), { code: 'ENOTFOUND' })]),
        'cannot reach S3 endpoint',
      ],
      [
        sdkError('CredentialsProviderError', undefined, 'Could not load credentials'),
        'no AWS credentials found',
      ],
      [
        sdkError('InternalError', 500, 'We encountered an internal error'),
        'cannot read s3://models/sha256/ab/cd: InternalError: We encountered an internal error (HTTP 500)',
      ],
    ];
    for (const [err, text] of cases) {
      const mapped = toS3ArtifactError(err, ctx);
      expect(mapped.code).toBe('MYELIN_ERR_ARTIFACT_IO');
      expect(mapped.message).toContain(text);
      expect(mapped.location).toEqual({ file: ctx.target });
      expect(mapped.cause).toBe(err);
    }
  });

  it('reads a bare 404 as a missing bucket only when asked', () => {
    const e = sdkError('NotFound', 404);
    expect(toS3ArtifactError(e, { ...ctx, notFoundIsBucket: true }).message).toContain('does not exist');
    expect(toS3ArtifactError(e, ctx).message).toContain('cannot read');
  });
});

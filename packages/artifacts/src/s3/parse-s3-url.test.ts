import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { normaliseS3Prefix, parseS3Url } from './parse-s3-url.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof MyelinError) return e.code;
    throw e;
  }
  return undefined;
}

describe('parseS3Url', () => {
  it('splits bucket and prefix, the prefix ending with / or empty', () => {
    expect(parseS3Url('s3://bucket/some/prefix')).toEqual({ bucket: 'bucket', prefix: 'some/prefix/' });
    expect(parseS3Url('s3://bucket/some/prefix/')).toEqual({ bucket: 'bucket', prefix: 'some/prefix/' });
    expect(parseS3Url('s3://my.bucket-1')).toEqual({ bucket: 'my.bucket-1', prefix: '' });
    expect(parseS3Url('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Url('s3://bucket/a')).toEqual({ bucket: 'bucket', prefix: 'a/' });
  });

  it('rejects what is not an s3 URL or not a bucket name with MYELIN_ERR_ARTIFACT_CONFIG', () => {
    for (const bad of [
      '',
      'bucket/prefix',
      'http://bucket/prefix',
      's3://',
      's3:///prefix',
      's3://Bucket/x',
      's3://b/x',
      's3://under_score',
      's3://bucket/a//b',
      's3://bucket/a/../b',
      's3://bucket/x?versionId=1',
    ]) {
      expect(
        codeOf(() => parseS3Url(bad)),
        bad,
      ).toBe('MYELIN_ERR_ARTIFACT_CONFIG');
    }
  });
});

describe('normaliseS3Prefix', () => {
  it('drops a leading / and adds a trailing one', () => {
    expect(normaliseS3Prefix('')).toBe('');
    expect(normaliseS3Prefix('/')).toBe('');
    expect(normaliseS3Prefix('/team-a/artifacts')).toBe('team-a/artifacts/');
    expect(codeOf(() => normaliseS3Prefix('a/./b'))).toBe('MYELIN_ERR_ARTIFACT_CONFIG');
  });
});

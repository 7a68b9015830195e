import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { toArtifactIoError } from './artifact-io-error.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: boom`), { code });

describe('toArtifactIoError', () => {
  it.each([
    ['ENOSPC', /disk full/],
    ['EACCES', /not writable/],
    ['EPERM', /not writable/],
    ['EROFS', /read-only/],
    ['ENOTDIR', /not a folder/],
    ['EIO', /EIO: boom/],
  ])('%s names the path and says what to do', (code, message) => {
    const e = toArtifactIoError(errno(code), '/data/art/sha256/.tmp-1~', 'write');
    expect(e.code).toBe('MYELIN_ERR_ARTIFACT_IO');
    expect(e.message).toContain('/data/art/sha256/.tmp-1~');
    expect(e.message).toMatch(message);
    expect(e.cause).toBeDefined();
  });

  it('passes a MyelinError through', () => {
    const original = new MyelinError('MYELIN_ERR_ARTIFACT_KEY', 'bad');
    expect(toArtifactIoError(original, '/x', 'write')).toBe(original);
  });
});

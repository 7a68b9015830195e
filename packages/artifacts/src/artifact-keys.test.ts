import { describe, expect, it } from 'vitest';
import { assertContentKey, assertRefName, contentKey, parseContentKey } from './artifact-keys.js';

const sha = 'ab' + 'c'.repeat(62);

describe('artifact keys', () => {
  it('splits a digest into sha256/ab/<62 hex> and back', () => {
    expect(contentKey(sha)).toBe(`sha256/ab/${'c'.repeat(62)}`);
    expect(parseContentKey(contentKey(sha))).toBe(sha);
    expect(assertContentKey(contentKey(sha))).toBe(sha);
    expect(parseContentKey('sha256/ab/x')).toBeNull();
    expect(() => contentKey('xyz')).toThrow(/not a lower-case hex sha256/);
  });

  it('accepts nested ref names and rejects escapes', () => {
    expect(assertRefName('checkpoints/r-01J/latest')).toBe('checkpoints/r-01J/latest');
    expect(assertRefName('models/penguins/v1.2_final')).toBeDefined();
    for (const bad of ['..', 'a/..', '/a', 'a\\b', 'C:/x', 'a b', 'x'.repeat(600), 'a//b']) {
      expect(() => assertRefName(bad), bad).toThrow(
        expect.objectContaining({ code: 'MYELIN_ERR_ARTIFACT_KEY' }),
      );
    }
  });
});

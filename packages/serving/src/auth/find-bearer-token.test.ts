import { describe, expect, it } from 'vitest';
import { bearerOf, findBearerToken } from './find-bearer-token.js';

describe('findBearerToken', () => {
  const tokens = [
    { name: 'a', secret: 'aaaaaaaaaaaaaaaa' },
    { name: 'b', secret: 'bbbbbbbbbbbbbbbb2' },
  ];
  const secretOf = (t: { secret: string }) => t.secret;

  it('finds the token equal to the one presented, whatever the lengths', () => {
    expect(findBearerToken(tokens, 'bbbbbbbbbbbbbbbb2', secretOf)?.name).toBe('b');
    expect(findBearerToken(tokens, 'aaaaaaaaaaaaaaaa', secretOf)?.name).toBe('a');
    // a prefix, a longer string and a same-length different one: no match, no error
    expect(findBearerToken(tokens, 'bbbbbbbbbbbbbbbb', secretOf)).toBeUndefined();
    expect(findBearerToken(tokens, 'aaaaaaaaaaaaaaaaX', secretOf)).toBeUndefined();
    expect(findBearerToken(tokens, 'aaaaaaaaaaaaaaab', secretOf)).toBeUndefined();
  });

  it('never matches an empty token, even against an empty secret', () => {
    expect(findBearerToken([''], '', (t) => t)).toBeUndefined();
    expect(findBearerToken(tokens, '', secretOf)).toBeUndefined();
  });

  it('reads the token of a bearer header only', () => {
    expect(bearerOf('Bearer abc ')).toBe('abc');
    expect(bearerOf('bearer  abc')).toBe('abc');
    expect(bearerOf('Basic abc')).toBe('');
    expect(bearerOf(undefined)).toBe('');
  });
});

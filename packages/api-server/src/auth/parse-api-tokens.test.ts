import { describe, expect, it } from 'vitest';
import { apiTokensFromEnv, parseApiTokens } from './parse-api-tokens.js';
import { findToken } from './find-token.js';

describe('API tokens', () => {
  it('parses MYELIN_API_TOKENS: entries by ";", the token before the first ":", scopes by ","', () => {
    expect(parseApiTokens(' aaaaaaaaaaaaaaaa1:read,runs:write ; bbbbbbbbbbbbbbbb2:read ;')).toEqual([
      { token: 'aaaaaaaaaaaaaaaa1', scopes: ['read', 'runs:write'] },
      { token: 'bbbbbbbbbbbbbbbb2', scopes: ['read'] },
    ]);
    expect(apiTokensFromEnv({})).toEqual([]);
    expect(apiTokensFromEnv({ MYELIN_API_TOKENS: 'cccccccccccccccc3:models:write' })).toEqual([
      { token: 'cccccccccccccccc3', scopes: ['models:write'] },
    ]);
  });

  it('refuses short tokens, unknown scopes and entries without scopes, naming the entry', () => {
    expect(() => parseApiTokens('short:read')).toThrow(/at least 16 characters/);
    expect(() => parseApiTokens('aaaaaaaaaaaaaaaa1:read;bbbbbbbbbbbbbbbb2:admin')).toThrow(
      /MYELIN_API_TOKENS\[1\]: unknown API scope "admin"/,
    );
    expect(() => parseApiTokens('aaaaaaaaaaaaaaaa1:')).toThrow(/no scopes/);
    expect(() => parseApiTokens('aaaaaaaaaaaaaaaa1')).toThrow(/token:scope/);
  });

  it('finds the token presented, and nothing for a near miss', () => {
    const tokens = parseApiTokens('aaaaaaaaaaaaaaaa1:read;bbbbbbbbbbbbbbbb2:runs:write');
    expect(findToken(tokens, 'bbbbbbbbbbbbbbbb2')?.scopes).toEqual(['runs:write']);
    expect(findToken(tokens, 'bbbbbbbbbbbbbbbb')).toBeUndefined();
    expect(findToken(tokens, '')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { maskPostgresUrl } from './mask-postgres-url.js';

describe('maskPostgresUrl', () => {
  it('masks the password in the user info and in the query', () => {
    expect(maskPostgresUrl('postgres://app:s3cret@db:5432/myelin')).toBe('postgres://app:***@db:5432/myelin');
    expect(maskPostgresUrl('postgresql://app:p%40ss@db/myelin?sslmode=require')).toBe(
      'postgresql://app:***@db/myelin?sslmode=require',
    );
    expect(maskPostgresUrl('postgres://app@db/myelin?password=s3cret&sslmode=require')).toBe(
      'postgres://app@db/myelin?password=***&sslmode=require',
    );
  });

  it('leaves a URL without a password as it is', () => {
    expect(maskPostgresUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('masks what looks like a password in a string that is not a URL', () => {
    expect(maskPostgresUrl('app:s3cret@db')).toBe('app:***@db');
  });
});

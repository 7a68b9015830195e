import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The token of an `Authorization: Bearer <token>` header, or '' when the header is missing or not
 * a bearer header.
 *
 * @example bearerOf('Bearer abc ') // 'abc'
 */
export function bearerOf(header: string | undefined): string {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
}

/**
 * The one bearer-token check of Myelin's servers (the model server and the queue API): the
 * configured token equal to `presented`, compared in constant time. Both sides are hashed to
 * equal-length digests before `timingSafeEqual` and every configured token is compared, so
 * neither the token's length, nor the position of a mismatch, nor which token matched shows in
 * the timing. An empty `presented` never matches.
 *
 * @example findBearerToken(['s3cret-token'], 's3cret-token', (t) => t) // 's3cret-token'
 */
export function findBearerToken<T>(
  tokens: readonly T[],
  presented: string,
  secretOf: (token: T) => string,
): T | undefined {
  const given = digest(presented);
  let found: T | undefined;
  for (const t of tokens) {
    if (timingSafeEqual(digest(secretOf(t)), given) && found === undefined && presented !== '') found = t;
  }
  return found;
}

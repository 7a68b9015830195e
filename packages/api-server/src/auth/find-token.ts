import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from './api-token.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The configured token equal to `presented`, compared in constant time: both sides are hashed to
 * equal-length digests and every configured token is compared, so neither the position of a
 * mismatch nor which token matched shows in the timing.
 */
export function findToken(tokens: readonly ApiToken[], presented: string): ApiToken | undefined {
  const given = digest(presented);
  let found: ApiToken | undefined;
  for (const t of tokens) {
    if (timingSafeEqual(digest(t.token), given) && !found) found = t;
  }
  return found;
}

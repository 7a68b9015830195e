import { findBearerToken } from '@myelin/serving/bearer-token';
import type { ApiToken } from './api-token.js';

/**
 * The configured API token equal to `presented`: Myelin's one constant-time bearer check (the
 * model server's too), which hashes both sides so neither length nor content shows in the timing.
 */
export function findToken(tokens: readonly ApiToken[], presented: string): ApiToken | undefined {
  return findBearerToken(tokens, presented, (t) => t.token);
}

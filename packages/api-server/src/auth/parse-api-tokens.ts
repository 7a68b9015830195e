import { MyelinError } from '@myelin/errors';
import { API_SCOPES, type ApiScope, type ApiToken } from './api-token.js';

/** Shortest token accepted: anything shorter is guessable. */
export const MIN_TOKEN_LENGTH = 16;

/** Checks one token entry (from the environment or the stack file). */
export function checkApiToken(token: string, scopes: readonly string[], where: string): ApiToken {
  if (token.length < MIN_TOKEN_LENGTH || /[\s:;,]/.test(token)) {
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `API tokens must be at least ${MIN_TOKEN_LENGTH} characters without spaces, ":", ";" or ","`,
      { path: where },
    );
  }
  if (scopes.length === 0) {
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `an API token has no scopes; give one or more of ${API_SCOPES.join(', ')}`,
      {
        path: where,
      },
    );
  }
  for (const s of scopes) {
    if (!(API_SCOPES as readonly string[]).includes(s)) {
      throw new MyelinError(
        'MYELIN_ERR_STACK_CONFIG',
        `unknown API scope "${s}"; scopes are ${API_SCOPES.join(', ')}`,
        {
          path: where,
        },
      );
    }
  }
  return { token, scopes: [...new Set(scopes)] as ApiScope[] };
}

/**
 * Parses the `MYELIN_API_TOKENS` syntax: entries separated by `;`, each `token:scope,scope`.
 * The token is everything before the first `:` (scopes themselves contain `:`).
 *
 * @example parseApiTokens('s3cr3t-0123456789:read,runs:write;r3ad-0123456789abc:read')
 * // [{ token: 's3cr3t-0123456789', scopes: ['read', 'runs:write'] }, { token: 'r3ad-…', scopes: ['read'] }]
 */
export function parseApiTokens(text: string, where = 'MYELIN_API_TOKENS'): ApiToken[] {
  const out: ApiToken[] = [];
  for (const [i, raw] of text.split(';').entries()) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      throw new MyelinError('MYELIN_ERR_STACK_CONFIG', 'each entry must be token:scope[,scope…]', {
        path: `${where}[${i}]`,
      });
    }
    const scopes = entry
      .slice(colon + 1)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out.push(checkApiToken(entry.slice(0, colon), scopes, `${where}[${i}]`));
  }
  return out;
}

/** The tokens of `MYELIN_API_TOKENS` in `env` (none when unset). */
export function apiTokensFromEnv(env: NodeJS.ProcessEnv = process.env): ApiToken[] {
  const text = env.MYELIN_API_TOKENS;
  return text ? parseApiTokens(text) : [];
}

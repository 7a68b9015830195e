import type { FastifyReply, FastifyRequest } from 'fastify';
import { MyelinError } from '@myelin/errors';
import type { ApiScope, ApiToken } from './api-token.js';
import { findToken } from './find-token.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public (health checks, the OpenAPI document). */
    scope?: ApiScope;
  }
  interface FastifyRequest {
    /** The token the request authenticated with, when tokens are configured. */
    apiToken?: ApiToken;
  }
}

/**
 * An `onRequest` hook enforcing bearer tokens: 401 without a known token, 403 when the token lacks
 * the route's scope. With no tokens configured every request is allowed (see `startApi`, which
 * then only listens on loopback addresses).
 */
export function authHook(tokens: readonly ApiToken[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const scope = request.routeOptions.config?.scope;
    if (!scope || tokens.length === 0) return;
    const header = request.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      throw new MyelinError(
        'MYELIN_ERR_API_UNAUTHORIZED',
        'this API needs a bearer token: send "Authorization: Bearer <token>"',
      );
    }
    const token = findToken(tokens, m[1]!);
    if (!token) throw new MyelinError('MYELIN_ERR_API_UNAUTHORIZED', 'unknown bearer token');
    if (!token.scopes.includes(scope)) {
      throw new MyelinError(
        'MYELIN_ERR_API_FORBIDDEN',
        `this token lacks the "${scope}" scope (it has ${token.scopes.join(', ')})`,
      );
    }
    request.apiToken = token;
  };
}

import { MyelinError, type ErrorCode } from '@myelin/errors';

/** HTTP status of each error code a request can end with; anything else is a 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  MYELIN_ERR_SERVING_BAD_REQUEST: 400,
  MYELIN_ERR_TRANSFORM: 400,
  MYELIN_ERR_SERVING_UNAUTHORIZED: 401,
  MYELIN_ERR_SERVING_NOT_FOUND: 404,
  MYELIN_ERR_REGISTRY_NOT_FOUND: 404,
  MYELIN_ERR_SERVING_TOO_LARGE: 413,
  MYELIN_ERR_SERVING_OVERLOADED: 503,
  MYELIN_ERR_SERVING_NOT_READY: 503,
  MYELIN_ERR_SERVING_TIMEOUT: 504,
};

/**
 * The HTTP status for an error a request ended with: the mapped status of a `MyelinError`,
 * Fastify's own 4xx (bad JSON, body too large, wrong content type), else 500.
 */
export function httpStatusFor(e: unknown): number {
  if (e instanceof MyelinError) return STATUS[e.code] ?? 500;
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  return 500;
}

/** Shorthand for a 400 naming what is wrong. */
export function badRequest(detail: string): MyelinError {
  return new MyelinError('MYELIN_ERR_SERVING_BAD_REQUEST', detail);
}

/** Shorthand for a 404. */
export function notFound(detail: string): MyelinError {
  return new MyelinError('MYELIN_ERR_SERVING_NOT_FOUND', detail);
}

import type { ErrorCode } from '@myelin/errors';

/**
 * The one place where Myelin error codes become HTTP statuses. Codes not listed are 500 when they
 * reach the API (they are failures of the server or its stack, not of the request).
 */
const STATUS: Partial<Record<ErrorCode, number>> = {
  MYELIN_ERR_SPEC_YAML: 400,
  MYELIN_ERR_SPEC_TOO_LARGE: 413,
  MYELIN_ERR_SPEC_ALIAS: 400,
  MYELIN_ERR_SPEC_TAG: 400,
  MYELIN_ERR_SPEC_UNKNOWN_KEY: 400,
  MYELIN_ERR_SPEC_INVALID: 400,
  MYELIN_ERR_SPEC_API_VERSION: 400,
  MYELIN_ERR_SPEC_READ: 400,
  MYELIN_ERR_USAGE: 400,
  MYELIN_ERR_REGISTRY_NOT_FOUND: 404,
  MYELIN_ERR_API_REQUEST: 400,
  MYELIN_ERR_API_OVERRIDE: 400,
  MYELIN_ERR_API_UNAUTHORIZED: 401,
  MYELIN_ERR_API_FORBIDDEN: 403,
  MYELIN_ERR_API_NOT_FOUND: 404,
  MYELIN_ERR_API_CONFLICT: 409,
  MYELIN_ERR_API_TOO_LARGE: 413,
  MYELIN_ERR_API_RATE_LIMITED: 429,
  MYELIN_ERR_DATA_PATH_OUTSIDE: 400,
  MYELIN_ERR_DATA_READ: 400,
  MYELIN_ERR_DATA_FORMAT: 400,
  MYELIN_ERR_STACK_UNREACHABLE: 503,
  MYELIN_ERR_SCHEDULE: 503,
};

/** The HTTP status for an error code (500 for codes that are not the client's fault). */
export function httpStatus(code: string): number {
  return STATUS[code as ErrorCode] ?? 500;
}

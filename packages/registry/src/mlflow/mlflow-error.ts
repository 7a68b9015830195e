import { MyelinError } from '@myelin/errors';

/** MLflow's `error_code` for a create of something that exists (experiment, registered model). */
export const MLFLOW_ALREADY_EXISTS = 'RESOURCE_ALREADY_EXISTS';
/** MLflow's `error_code` for a missing experiment, run or registered model (HTTP 404). */
export const MLFLOW_DOES_NOT_EXIST = 'RESOURCE_DOES_NOT_EXIST';
/** MLflow's `error_code` for a refused argument (param overwrite, batch limits, unknown alias, no Content-Type). */
export const MLFLOW_INVALID_PARAMETER = 'INVALID_PARAMETER_VALUE';
/** `errorCode` of a request that never got an answer (connection refused, reset, DNS). */
export const MLFLOW_UNREACHABLE = 'UNREACHABLE';
/** `errorCode` of a request that got no answer within the client's timeout. */
export const MLFLOW_TIMEOUT = 'TIMEOUT';

const RETRYABLE_CODES = new Set([
  MLFLOW_UNREACHABLE,
  MLFLOW_TIMEOUT,
  'TEMPORARILY_UNAVAILABLE',
  'REQUEST_LIMIT_EXCEEDED',
  'INTERNAL_ERROR',
]);

/**
 * An MLflow request that failed. `errorCode` is MLflow's own `error_code` (`RESOURCE_ALREADY_EXISTS`,
 * `RESOURCE_DOES_NOT_EXIST`, `INVALID_PARAMETER_VALUE`, …), or `UNREACHABLE` / `TIMEOUT` when the
 * server did not answer (then `status` is 0), or `HTTP_<status>` when the answer was not MLflow's
 * JSON error body (a proxy's error page). `retryable` says whether trying again later can help:
 * the server was unreachable, busy (429) or failed (5xx); a refused argument (4xx) will be refused again.
 *
 * @example
 * try { await client.createExperiment('penguins'); }
 * catch (e) { if (e instanceof MlflowError && e.errorCode === 'RESOURCE_ALREADY_EXISTS') … }
 */
export class MlflowError extends MyelinError {
  readonly errorCode: string;
  /** HTTP status, 0 when there was no answer. */
  readonly status: number;
  /** `METHOD path` of the request, for messages. */
  readonly request: string;
  /** The `message` MLflow sent (without Myelin's prefix). */
  readonly mlflowMessage: string;

  constructor(
    errorCode: string,
    message: string,
    status: number,
    request: string,
    options?: { cause?: unknown },
  ) {
    const unreachable = status === 0;
    super(
      unreachable ? 'MYELIN_ERR_MLFLOW_UNREACHABLE' : 'MYELIN_ERR_MLFLOW',
      `MLflow ${request}: ${unreachable ? '' : `${status} `}${errorCode}: ${message}`,
      undefined,
      options,
    );
    this.name = 'MlflowError';
    this.errorCode = errorCode;
    this.status = status;
    this.request = request;
    this.mlflowMessage = message;
  }

  /** Whether the same request may succeed later (no answer, 429, 5xx, or a transient MLflow code). */
  get retryable(): boolean {
    return (
      this.status === 0 || this.status === 429 || this.status >= 500 || RETRYABLE_CODES.has(this.errorCode)
    );
  }

  /** Whether the server said the thing exists already (a create that is then a no-op). */
  get alreadyExists(): boolean {
    return this.errorCode === MLFLOW_ALREADY_EXISTS;
  }

  /** Whether the server said the thing does not exist. */
  get doesNotExist(): boolean {
    return this.errorCode === MLFLOW_DOES_NOT_EXIST;
  }
}

/** Whether `e` is an `MlflowError`. */
export function isMlflowError(e: unknown): e is MlflowError {
  return e instanceof MlflowError;
}

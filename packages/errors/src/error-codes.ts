/**
 * The one catalogue of Myelin error codes. Every `MyelinError` carries one of these codes.
 * Each entry says what went wrong and which process exit code the CLI uses for it
 * (0 ok, 1 the data or a gate failed a check, 2 bad input: pipeline file, data file, arguments,
 * 3 an internal error: a bug in Myelin, never the user's input).
 * docs/errors.md lists the same table for users; a test keeps them in step.
 */
export const ERROR_CODES = {
  MYELIN_ERR_SPEC_YAML: { exit: 2, summary: 'The pipeline file is not well-formed YAML.' },
  MYELIN_ERR_SPEC_TOO_LARGE: { exit: 2, summary: 'The pipeline file is larger than the size limit.' },
  MYELIN_ERR_SPEC_ALIAS: {
    exit: 2,
    summary: 'The pipeline file uses YAML anchors/aliases beyond the allowed expansion.',
  },
  MYELIN_ERR_SPEC_TAG: { exit: 2, summary: 'The pipeline file uses a YAML tag; tags are never evaluated.' },
  MYELIN_ERR_SPEC_UNKNOWN_KEY: { exit: 2, summary: 'A key in the pipeline file is not part of the format.' },
  MYELIN_ERR_SPEC_INVALID: { exit: 2, summary: 'A field of the pipeline file has the wrong type or value.' },
  MYELIN_ERR_SPEC_API_VERSION: { exit: 2, summary: 'apiVersion is missing or not supported.' },
  MYELIN_ERR_SPEC_READ: { exit: 2, summary: 'The pipeline file could not be read.' },
  MYELIN_ERR_DATA_READ: { exit: 2, summary: 'A data file could not be read or parsed.' },
  MYELIN_ERR_DATA_FORMAT: { exit: 2, summary: 'A data file has an unsupported format or a malformed row.' },
  MYELIN_ERR_DATA_EMPTY: { exit: 2, summary: 'A data file holds no rows.' },
  MYELIN_ERR_DATA_PATH_OUTSIDE: { exit: 2, summary: "A data path points outside the pipeline's folder." },
  MYELIN_ERR_DATA_COLUMN_MISSING: { exit: 2, summary: 'A column named in the pipeline is not in the data.' },
  MYELIN_ERR_DATA_SCHEMA: { exit: 2, summary: 'A data schema file is invalid.' },
  MYELIN_ERR_VALIDATION_FAILED: {
    exit: 1,
    summary: 'The data failed validation rules with onFailure: fail.',
  },
  MYELIN_ERR_TRANSFORM: { exit: 2, summary: 'A preprocessing transform could not be fitted or applied.' },
  MYELIN_ERR_GATE_FAILED: { exit: 1, summary: 'The model failed an evaluation gate.' },
  MYELIN_ERR_TRAIN: { exit: 1, summary: 'Training failed.' },
  MYELIN_ERR_RUN_CANCELLED: {
    exit: 1,
    summary: 'The run was cancelled (or its worker shut down) before it finished; a checkpoint was kept.',
  },
  MYELIN_ERR_BACKEND: {
    exit: 2,
    summary: 'No usable TensorFlow.js backend for what the step asks (e.g. a GPU).',
  },
  MYELIN_ERR_BACKEND_MEMORY: {
    exit: 1,
    summary: 'The work would pass the safe memory bound of the backend.',
  },
  MYELIN_ERR_ARTIFACT_INTEGRITY: { exit: 1, summary: "An artifact's content does not match its hash." },
  MYELIN_ERR_ARTIFACT_NOT_FOUND: { exit: 1, summary: 'An artifact is not in the store.' },
  MYELIN_ERR_ARTIFACT_KEY: { exit: 2, summary: 'An artifact key is malformed or escapes the store.' },
  MYELIN_ERR_ARTIFACT_IO: {
    exit: 1,
    summary: 'The artifact store could not be written or read (disk full, permissions).',
  },
  MYELIN_ERR_ARTIFACT_CONFIG: {
    exit: 2,
    summary: 'The artifact store configuration is invalid (S3 URL, bucket name, part size).',
  },
  MYELIN_ERR_REGISTRY: { exit: 1, summary: 'The metadata store failed.' },
  MYELIN_ERR_REGISTRY_NOT_FOUND: { exit: 1, summary: 'A run, model, version or alias does not exist.' },
  MYELIN_ERR_SCHEDULE: {
    exit: 1,
    summary: 'A pipeline schedule could not be registered, changed or removed (the queue refused it).',
  },
  MYELIN_ERR_USAGE: { exit: 2, summary: 'The command line is invalid.' },
  MYELIN_ERR_SERVING_BAD_REQUEST: {
    exit: 2,
    summary: 'An inference request is malformed or an instance fails the training schema (HTTP 400).',
  },
  MYELIN_ERR_SERVING_NOT_FOUND: {
    exit: 1,
    summary: 'The model, version, label or prediction id a request names is not served (HTTP 404).',
  },
  MYELIN_ERR_SERVING_TOO_LARGE: {
    exit: 2,
    summary: 'A request body or its number of instances is over the limit (HTTP 413).',
  },
  MYELIN_ERR_SERVING_OVERLOADED: {
    exit: 1,
    summary: 'The in-flight queue of a model is full; retry after the Retry-After delay (HTTP 503).',
  },
  MYELIN_ERR_SERVING_TIMEOUT: {
    exit: 1,
    summary: 'A prediction did not finish within the request timeout (HTTP 504).',
  },
  MYELIN_ERR_SERVING_UNAUTHORIZED: {
    exit: 1,
    summary: 'A request lacks the bearer token the model requires (HTTP 401).',
  },
  MYELIN_ERR_SERVING_NOT_READY: { exit: 1, summary: 'The model has no version loaded yet (HTTP 503).' },
  MYELIN_ERR_SERVING_LOAD: {
    exit: 1,
    summary: 'A model version could not be loaded for serving (tampered file, missing role, bad shape).',
  },
  MYELIN_ERR_STACK_CONFIG: {
    exit: 2,
    summary: 'The stack configuration (myelin.stack.yaml or MYELIN_* environment variables) is invalid.',
  },
  MYELIN_ERR_STACK_UNREACHABLE: {
    exit: 2,
    summary:
      'A service of the configured stack (Redis, the S3 bucket, the database) cannot be reached or refused the credentials.',
  },
  MYELIN_ERR_QUEUE: {
    exit: 1,
    summary:
      "The job queue failed or lost a run's jobs (e.g. Redis restarted without persistence); resubmit the run.",
  },
  MYELIN_ERR_QUEUE_PAYLOAD: { exit: 2, summary: 'A queue job payload is malformed.' },
  MYELIN_ERR_QUEUE_FENCED: {
    exit: 1,
    summary:
      "A worker no longer holds a step job's lock (it expired, or the job moved to another worker): the stale step stops and writes nothing more.",
  },
  MYELIN_ERR_WORKER_CRASHED: {
    exit: 1,
    summary: 'The worker process running a step exited (crash, out of memory) and its retries were used up.',
  },
  MYELIN_ERR_API_REQUEST: { exit: 2, summary: 'An API request is malformed or fails its schema (HTTP 400).' },
  MYELIN_ERR_API_OVERRIDE: {
    exit: 2,
    summary: 'A pipeline override names a field path that cannot be set (HTTP 400).',
  },
  MYELIN_ERR_API_UNAUTHORIZED: {
    exit: 2,
    summary: 'An API request has no bearer token or an unknown one (HTTP 401).',
  },
  MYELIN_ERR_API_FORBIDDEN: {
    exit: 2,
    summary: 'The API token lacks the scope the request needs (HTTP 403).',
  },
  MYELIN_ERR_API_NOT_FOUND: { exit: 2, summary: 'No API route matches the method and path (HTTP 404).' },
  MYELIN_ERR_API_CONFLICT: {
    exit: 1,
    summary: 'The request conflicts with the state of the run, e.g. cancelling a finished run (HTTP 409).',
  },
  MYELIN_ERR_API_TOO_LARGE: { exit: 2, summary: 'An API request body is over the size limit (HTTP 413).' },
  MYELIN_ERR_API_RATE_LIMITED: {
    exit: 1,
    summary: 'Too many API requests; retry after the Retry-After delay (HTTP 429).',
  },
  MYELIN_ERR_API_INSECURE: {
    exit: 2,
    summary:
      'The API refuses to listen on a non-loopback address without tokens; configure tokens or pass --insecure.',
  },
  MYELIN_ERR_API_UNREACHABLE: {
    exit: 2,
    summary: 'The Myelin API could not be reached, or answered with something that is not the Myelin API.',
  },
  MYELIN_ERR_INTERNAL: {
    exit: 3,
    summary:
      'An unexpected internal error (a bug in Myelin, not bad input); run again with MYELIN_DEBUG=1 for its stack trace.',
  },
  MYELIN_ERR_MLFLOW: {
    exit: 1,
    summary: 'The MLflow tracking server refused a request (the MLflow error code and message are kept).',
  },
  MYELIN_ERR_MLFLOW_UNREACHABLE: {
    exit: 1,
    summary:
      'The MLflow tracking server could not be reached or did not answer in time; the mirror retries later.',
  },
  MYELIN_ERR_MLFLOW_CONFIG: {
    exit: 2,
    summary: 'The MLflow mirror is misconfigured (tracking URI, metadata store without an outbox).',
  },
  MYELIN_ERR_ONNX_EXPORT: {
    exit: 1,
    summary:
      'A model could not be exported to ONNX (a layer, activation or weight the export does not support).',
  },
} as const satisfies Record<string, { exit: ExitCode; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The CLI's exit codes: 0 ok, 1 a check failed, 2 bad input, 3 an internal error. */
export type ExitCode = 0 | 1 | 2 | 3;

/**
 * The exit code of an error code as recorded (a string from a stored run or a queue job); an
 * unknown code is an internal error.
 *
 * @example exitCodeOf('MYELIN_ERR_GATE_FAILED') // 1
 */
export function exitCodeOf(code: string): ExitCode {
  return isErrorCode(code) ? ERROR_CODES[code].exit : ERROR_CODES.MYELIN_ERR_INTERNAL.exit;
}

/**
 * Whether a value read from outside (a stored run, a response body) is one of the catalogue's
 * codes: its own keys only, so `toString` and the like are not.
 *
 * @example isErrorCode('MYELIN_ERR_GATE_FAILED') // true
 */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

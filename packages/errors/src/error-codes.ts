/**
 * The one catalogue of Myelin error codes. Every `MyelinError` carries one of these codes.
 * Each entry says what went wrong and which process exit code the CLI uses for it
 * (0 ok, 1 the data or a gate failed a check, 2 bad input: pipeline file, data file, arguments).
 * docs/errors.md lists the same table for users; a test keeps them in step.
 */
export const ERROR_CODES = {
  MYELIN_ERR_SPEC_YAML: { exit: 2, summary: 'The pipeline file is not well-formed YAML.' },
  MYELIN_ERR_SPEC_TOO_LARGE: { exit: 2, summary: 'The pipeline file is larger than the size limit.' },
  MYELIN_ERR_SPEC_ALIAS: { exit: 2, summary: 'The pipeline file uses YAML anchors/aliases beyond the allowed expansion.' },
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
  MYELIN_ERR_VALIDATION_FAILED: { exit: 1, summary: 'The data failed validation rules with onFailure: fail.' },
  MYELIN_ERR_TRANSFORM: { exit: 2, summary: 'A preprocessing transform could not be fitted or applied.' },
  MYELIN_ERR_GATE_FAILED: { exit: 1, summary: 'The model failed an evaluation gate.' },
  MYELIN_ERR_TRAIN: { exit: 1, summary: 'Training failed.' },
  MYELIN_ERR_RUN_CANCELLED: { exit: 1, summary: 'The run was cancelled (or its worker shut down) before it finished; a checkpoint was kept.' },
  MYELIN_ERR_BACKEND: { exit: 2, summary: 'No usable TensorFlow.js backend for what the step asks (e.g. a GPU).' },
  MYELIN_ERR_BACKEND_MEMORY: { exit: 1, summary: 'The work would pass the safe memory bound of the backend.' },
  MYELIN_ERR_ARTIFACT_INTEGRITY: { exit: 1, summary: "An artifact's content does not match its hash." },
  MYELIN_ERR_ARTIFACT_NOT_FOUND: { exit: 1, summary: 'An artifact is not in the store.' },
  MYELIN_ERR_ARTIFACT_KEY: { exit: 2, summary: 'An artifact key is malformed or escapes the store.' },
  MYELIN_ERR_ARTIFACT_IO: { exit: 1, summary: 'The artifact store could not be written or read (disk full, permissions).' },
  MYELIN_ERR_REGISTRY: { exit: 1, summary: 'The metadata store failed.' },
  MYELIN_ERR_REGISTRY_NOT_FOUND: { exit: 1, summary: 'A run, model, version or alias does not exist.' },
  MYELIN_ERR_USAGE: { exit: 2, summary: 'The command line is invalid.' },
  MYELIN_ERR_INTERNAL: { exit: 2, summary: 'An unexpected internal error.' },
} as const satisfies Record<string, { exit: 0 | 1 | 2; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

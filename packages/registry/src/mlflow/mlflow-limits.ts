/**
 * MLflow's limits on what a client may send, as `mlflow/utils/validation.py` (MLflow 2.x) states
 * them. The mirror keeps inside them so MLflow never refuses a Myelin run for its size.
 */
export const MLFLOW_LIMITS = {
  /** Params in one `runs/log-batch` request (`MAX_PARAMS_TAGS_PER_BATCH`). */
  paramsPerBatch: 100,
  /** Tags in one `runs/log-batch` request (`MAX_PARAMS_TAGS_PER_BATCH`). */
  tagsPerBatch: 100,
  /** Metrics in one `runs/log-batch` request (`MAX_METRICS_PER_BATCH`). */
  metricsPerBatch: 1000,
  /** Params, metrics and tags together in one request (`MAX_ENTITIES_PER_BATCH`). */
  entitiesPerBatch: 1000,
  /** Bytes of one `runs/log-batch` request body (`MAX_BATCH_LOG_REQUEST_SIZE`). */
  batchRequestBytes: 1_000_000,
  /** Characters of a param value (`MAX_PARAM_VAL_LENGTH`). */
  paramValue: 6000,
  /** Characters of a run, model or model-version tag value (`MAX_TAG_VAL_LENGTH`). */
  tagValue: 5000,
  /** Characters of a param, metric or tag key (`MAX_ENTITY_KEY_LENGTH`). */
  key: 250,
  /** Characters of an experiment name (`MAX_EXPERIMENT_NAME_LENGTH`). */
  experimentName: 500,
  /** Characters of a registered-model alias (`MAX_REGISTERED_MODEL_ALIAS_LENGTH`). */
  alias: 255,
} as const;

export {
  MlflowClient,
  MLFLOW_API,
  MLFLOW_ARTIFACTS_API,
  isUnknownAlias,
  toMetricValue,
} from './mlflow-client.js';
export type { MlflowClientOptions } from './mlflow-client-options.js';
export {
  MlflowError,
  isMlflowError,
  MLFLOW_ALREADY_EXISTS,
  MLFLOW_DOES_NOT_EXIST,
  MLFLOW_INVALID_PARAMETER,
  MLFLOW_TIMEOUT,
  MLFLOW_UNREACHABLE,
} from './mlflow-error.js';
export type * from './mlflow-types.js';
export { tagValue } from './mlflow-types.js';
export {
  MlflowOutbox,
  type OutboxEntry,
  type OutboxKind,
  type OutboxStats,
  type OutboxTargetStats,
  type SkippedItem,
} from './mlflow-outbox.js';
export type { MlflowOutboxTable, MlflowOutboxDatabase } from './mlflow-outbox-table.js';
export {
  createMlflowMirror,
  MlflowMirror,
  type BackfillResult,
  type FlushOptions,
  type FlushResult,
  type MirrorStatus,
} from './mlflow-mirror.js';
export type { MlflowMirrorOptions } from './mlflow-mirror-options.js';
export type { MlflowArtifactSource } from './mlflow-artifact-source.js';
export { flattenParams } from './flatten-params.js';
export { mlflowMirrorUri } from './mlflow-mirror-uri.js';
export { MLFLOW_LIMITS } from './mlflow-limits.js';
export { toMlflowKey, cutText, mlflowAliasProblem } from './mlflow-names.js';
export { MlflowKeyMap, readKeyMap, KEYMAP_TAG } from './mlflow-key-map.js';
export { planBatches, type LogBatch } from './mlflow-batches.js';
export { MYELIN_TAGS } from './mirror-payloads.js';
export { MODEL_ARTIFACT_FOLDER } from './mlflow-delivery.js';

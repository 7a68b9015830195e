export { startServer, type RunningServer } from './start-server.js';
export type { ServeOptions } from './serve-options.js';
export { PREDICT_ENGINES, type PredictEngine } from './loading/version-predictor.js';
export type { ModelServeConfig } from './model-serve-config.js';
export { parseServeConfigFile } from './serve-config-file.js';
export { buildServer, type HttpDeps } from './http/build-server.js';
export { InferenceService, type InferenceServiceDeps } from './core/inference-service.js';
export { DEPLOY_EVENTS, aliasNudgeChannel } from './rollout/deploy-events.js';
export {
  ModelManager,
  type ServedModel,
  type ActiveRollout,
  type ModelManagerDeps,
} from './core/model-manager.js';
export type { ServedVersion } from './core/served-version.js';
export type { PredictRequest, PredictOutcome, InstanceBatch, VersionSelector } from './core/predict-types.js';
export { loadModelVersion, loadByAlias, type LoadModelVersionOptions } from './loading/load-model-version.js';
export type { LoadedVersion } from './loading/loaded-version.js';
export { DynamicBatcher, type PredictFn, type BatchReport } from './batching/dynamic-batcher.js';
export {
  resolveBatching,
  type BatchingOptions,
  type ResolvedBatchingOptions,
} from './batching/batching-options.js';
export { encodeBatch, ENCODED_INPUT, type EncodedBatch } from './validation/encode-batch.js';
export type { InstanceWarning } from './validation/instance-warning.js';
export {
  parseTfServingPath,
  parseKserveV2Path,
  isMalformed,
  type ModelPath,
  type MalformedPath,
} from './protocol/parse-model-path.js';
export {
  parseTfServingBody,
  parseTfServingExamples,
  formatTfServingPredict,
  formatTfServingResults,
  formatTfServingMetadata,
  SIGNATURES,
} from './protocol/tf-serving-protocol.js';
export { parseKserveBody, formatKserveInfer, SERVER_METADATA } from './protocol/kserve-v2-protocol.js';
export { decodeBinaryTensor } from './protocol/binary-tensor.js';
export { parseJsonBody, jsonDepth, MAX_JSON_DEPTH } from './http/json-body.js';
export { analyzeCanary, type CanaryDecision, type CanaryInput } from './rollout/analyze-canary.js';
export {
  resolveRollout,
  type RolloutSettings,
  type ResolvedRolloutSettings,
} from './rollout/rollout-settings.js';
export { toCandidate } from './rollout/route-traffic.js';
export { rolloutFromDeploy, type DeployIntent } from './rollout/rollout-from-deploy.js';
export { VersionStats, type VersionStatsSnapshot } from './rollout/version-stats.js';
export {
  recordDeployment,
  type DeploymentRequest,
  type DeploymentResult,
} from './rollout/record-deployment.js';
export { DriftMonitor, type FeatureDrift } from './monitoring/drift-monitor.js';
export { resolveDrift, type DriftOptions, type DriftMetricChoice } from './monitoring/drift-options.js';
export { ServingMetrics, METRIC_NAMES } from './monitoring/serving-metrics.js';
export { FeedbackLog, type LiveQuality } from './monitoring/feedback-log.js';
export { SampleLogger, type SampleRecord } from './monitoring/sample-logger.js';
export { systemClock, type Clock, type TimerHandle } from './util/clock.js';
export { FakeClock } from './util/fake-clock.js';
export { httpStatusFor } from './util/serving-error.js';

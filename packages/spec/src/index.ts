export { parseSpec, type LoadedSpec } from './parse-spec.js';
export { loadSpecFile } from './load-spec-file.js';
export { pipelineJsonSchema, PIPELINE_SCHEMA_ID } from './json-schema.js';
export { SPEC_DEFAULTS, type SpecDefaults } from './defaults.js';
export { MAX_SPEC_BYTES } from './limits.js';
export { specHash } from './spec-hash.js';
export { formatPath } from './format-path.js';
export { locateField } from './locate-field.js';
export { cronProblem } from './schema/cron.js';
export { readYaml, type YamlSource } from './read-yaml.js';
export { locateNode } from './locate-node.js';
export {
  pipelineSchema,
  SUPPORTED_API_VERSIONS,
  type PipelineSpec,
  type PipelineSpecInput,
  type Task,
} from './schema/pipeline-schema.js';
export {
  DATA_FORMATS,
  formatFromExtension,
  type DataFormat,
  type DataSection,
  type DataSplit,
} from './schema/data-section.js';
export {
  COLUMN_TYPES,
  type ColumnRule,
  type ColumnType,
  type ValidateDrift,
  type ValidateSection,
} from './schema/validate-section.js';
export { type ImputeSettings, type PreprocessSection } from './schema/preprocess-section.js';
export {
  ACTIVATIONS,
  IMAGE_LAYER_TYPES,
  LAYER_TYPES,
  LOSSES,
  layerType,
  type Activation,
  type BatchNormalizationLayer,
  type Conv2dLayer,
  type DenseLayer,
  type DropoutLayer,
  type FlattenLayer,
  type KernelRegularizer,
  type LayerSpec,
  type LayerType,
  type Loss,
  type MaxPooling2dLayer,
  type ModelSection,
  type OutputSettings,
} from './schema/model-section.js';
export {
  OPTIMIZERS,
  type EarlyStoppingSettings,
  type LrSchedule,
  type OptimizerName,
  type OptimizerSettings,
  type TrainSection,
} from './schema/train-section.js';
export {
  CLASSIFICATION_METRICS,
  METRICS,
  REGRESSION_METRICS,
  type EvaluateSection,
  type Gate,
  type MetricName,
} from './schema/evaluate-section.js';
export { type RegisterSection } from './schema/register-section.js';
export { type CanarySettings, type DeploySection } from './schema/deploy-section.js';
export { DRIFT_METRICS, type DriftMetric } from './schema/drift-metric.js';
export { type MonitorDrift, type MonitorSection, type RetrainSettings } from './schema/monitor-section.js';
export {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseYamlDocument,
  type YamlNode,
  type YamlPair,
} from './yaml-document.js';
export {
  TUNE_STRATEGIES,
  type SearchDimension,
  type TuneSection,
  type TuneStrategy,
} from './schema/tune-section.js';
export { parseTunePath, valueAtTunePath, withTunedValue } from './tune/tune-path.js';

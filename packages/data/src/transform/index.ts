export type {
  PreprocessConfig,
  FittedPreprocessor,
  FittedFeature,
  FittedNumericFeature,
  FittedBooleanFeature,
  FittedCategoryFeature,
} from './preprocess-config.js';
export { fitPreprocessor, type FitPreprocessorOptions } from './fit-preprocessor.js';
export { transformRecord } from './transform-record.js';
export { transformBatch, type TransformedBatch } from './transform-batch.js';
export {
  encodeRecord,
  encodeRecords,
  encodeColumns,
  type EncodeChecks,
  type EncodeWarning,
} from './encode-features.js';
export { showValue } from './read-value.js';
export { deserializePreprocessor } from './deserialize-preprocessor.js';
export { parseTargetEncoder } from './parse-target-encoder.js';
export {
  fitTargetEncoder,
  encodeTarget,
  decodeTarget,
  type TargetEncoder,
  type ClassTargetEncoder,
  type RegressionTargetEncoder,
} from './target-encoder.js';
export { cellsAt, checkTargetOnRows, distinctCellIds, fitTargetEncoderOnRows, encodeTargetOnRows, targetWidth } from './target-columns.js';

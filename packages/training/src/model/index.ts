export { buildModel, buildTfjsModel, type BuildModelOptions } from './build-model.js';
export { deriveSeed } from './derive-seed.js';
export {
  ACTIVATIONS,
  type Activation,
  type KernelRegularizerSpec,
  type LayerSpec,
  type OutputSpec,
} from './layer-spec.js';
export { loadModelFromBytes } from './load-model-from-bytes.js';
export { isLossName, LOSS_NAMES, type LossName } from './loss-names.js';
export {
  decodeModelFile,
  encodeModelFile,
  MODEL_FILE_FORMAT,
  MODEL_FILE_NAME,
  type ModelDefinition,
} from './model-file.js';
export {
  planInputWidth,
  planModel,
  type ModelPlan,
  type PlanLayer,
  type PlanModelOptions,
} from './model-plan.js';
export { checkWeights, fromTfjsLayout, toTfjsLayout, weightSpecs, type WeightSpec } from './model-weights.js';
export { outputLayerFor, type OutputLayer } from './output-layer.js';
export { readSafetensors, writeSafetensors, type SafeTensor, type SafetensorsFile } from './safetensors.js';
export { serializeModel, WEIGHTS_FILE_NAME, type ModelBytes } from './serialize-model.js';
export {
  definitionOf,
  initialModel,
  readLayerWeights,
  tfjsModelOf,
  writeLayerWeights,
} from './tfjs-model.js';
export { getWeightsSnapshot, setWeightsSnapshot } from './weights-snapshot.js';

export { buildModel, type BuildModelOptions } from './build-model.js';
export { deriveSeed } from './derive-seed.js';
export type { Activation, KernelRegularizerSpec, LayerSpec, OutputSpec } from './layer-spec.js';
export { loadModelFromBytes } from './load-model-from-bytes.js';
export { isLossName, LOSS_NAMES, type LossName } from './loss-names.js';
export { outputLayerFor, type OutputLayer } from './output-layer.js';
export { serializeModel, WEIGHTS_FILE_NAME, type ModelBytes } from './serialize-model.js';
export { getWeightsSnapshot, setWeightsSnapshot } from './weights-snapshot.js';

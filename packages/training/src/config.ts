/**
 * The configuration types and names training owns, without loading an engine: the spec package
 * imports them (`@myelin/training/config`) to check its schema against them at compile time and
 * to list the names it accepts.
 */
export {
  ACTIVATIONS,
  type Activation,
  type KernelRegularizerSpec,
  type LayerSpec,
  type OutputSpec,
} from './model/layer-spec.js';
export { isLossName, LOSS_NAMES, type LossName } from './model/loss-names.js';
export type { EvaluationReport } from './metrics/evaluation-report.js';
export {
  OPTIMIZER_NAMES,
  type EarlyStoppingConfig,
  type LrScheduleConfig,
  type OptimizerConfig,
  type TrainConfig,
} from './train/train-config.js';
export { ENGINE_NAMES, type EngineName } from './engine/training-engine.js';

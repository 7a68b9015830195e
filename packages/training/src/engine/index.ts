export type { BackendInfo, BackendName, BackendPreference } from './backend-info.js';
export { selectBackend, type SelectBackendOptions } from './select-backend.js';
export { registerWasmKernels, WASM_ADDED_KERNELS } from './register-wasm-kernels.js';
export { applyWorkarounds, WORKAROUNDS, type Workaround } from './workarounds.js';
export { assertBackendMemory, WASM_SAFE_HEAP_BYTES } from './memory-guard.js';
export { withTensorScope } from './with-tensor-scope.js';
export { availableBackends, useBackend } from './available-backends.js';
export {
  ENGINE_NAMES,
  type EngineInfo,
  type EngineName,
  type EpochStats,
  type OptimizerSnapshot,
  type RowSet,
  type SessionOptions,
  type TrainingEngine,
  type TrainingSession,
} from './training-engine.js';
export {
  describe as describeEngine,
  engineGpus,
  selectEngine,
  selectEngineWith,
  type EngineGpus,
  type SelectEngineOptions,
} from './select-engine.js';
export { openTfjsEngine, tfjsEngine } from './tfjs-engine.js';
export { torchEngine, torchOptimizer } from './torch-engine.js';
export { loadTorchAddon, loadTorchAddonFrom, torchAddonPath, type TorchAddonLoad } from './torch-addon.js';

export type { BackendInfo, BackendName, BackendPreference } from './backend-info.js';
export { selectBackend, type SelectBackendOptions } from './select-backend.js';
export { registerWasmKernels, WASM_ADDED_KERNELS } from './register-wasm-kernels.js';
export { applyWorkarounds, WORKAROUNDS, type Workaround } from './workarounds.js';
export { assertBackendMemory, WASM_SAFE_HEAP_BYTES } from './memory-guard.js';
export { withTensorScope } from './with-tensor-scope.js';
export { availableBackends, useBackend } from './available-backends.js';

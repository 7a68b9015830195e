import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import type { BackendPreference } from './backend-info.js';
import { loadNativeBackend } from './native-backend.js';
import { registerWasmKernels } from './register-wasm-kernels.js';
import { initWasmBackend } from './wasm-backend.js';
import { applyWorkarounds } from './workarounds.js';

/**
 * Which of cpu, wasm and tensorflow (tfjs-node or tfjs-node-gpu) can be initialised here, for
 * tests and benchmarks. Loads what it can (wasm with Myelin's kernels and workarounds) but keeps
 * the active backend.
 *
 * @example
 * for (const name of await availableBackends()) { await useBackend(name); … }
 */
export async function availableBackends(): Promise<BackendPreference[]> {
  const previous = tf.engine().backendName;
  const out: BackendPreference[] = ['cpu'];
  try {
    await initWasmBackend();
    registerWasmKernels();
    applyWorkarounds('wasm');
    out.push('wasm');
  } catch {
    // wasm not usable here
  }
  const gpu = await loadNativeBackend('@tensorflow/tfjs-node-gpu');
  const native = gpu.ok ? gpu : await loadNativeBackend('@tensorflow/tfjs-node');
  if (native.ok) out.push('tensorflow');
  if (previous && tf.getBackend() !== previous) await tf.setBackend(previous);
  return out;
}

/**
 * Switches the active tfjs backend (benchmarks and tests; production code uses selectBackend).
 * wasm gets Myelin's kernels and workarounds first.
 *
 * @throws MYELIN_ERR_BACKEND when the backend cannot be initialised here.
 */
export async function useBackend(name: BackendPreference): Promise<void> {
  try {
    if (name === 'wasm') {
      await initWasmBackend();
      registerWasmKernels();
      applyWorkarounds('wasm');
    } else if (name === 'tensorflow') {
      const gpu = await loadNativeBackend('@tensorflow/tfjs-node-gpu');
      const native = gpu.ok ? gpu : await loadNativeBackend('@tensorflow/tfjs-node');
      if (!native.ok) throw new Error(`@tensorflow/tfjs-node ${native.why}`);
    } else {
      applyWorkarounds('cpu');
    }
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") failed`);
  } catch (e) {
    if (e instanceof MyelinError) throw e;
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `backend ${name} cannot be used here: ${e instanceof Error ? e.message : String(e)}`,
      undefined,
      {
        cause: e,
      },
    );
  }
}

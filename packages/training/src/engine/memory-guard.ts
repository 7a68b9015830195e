import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/**
 * The most the wasm heap may hold: 3 GiB. The heap wraps past about 3.6 GiB (engine notes,
 * hazard 2): new tensors land at offset 0 again and silently overwrite old ones.
 *
 * Callers: keep whole datasets in JS memory (typed arrays, not tensors) and feed the model one
 * batch tensor at a time, disposing each after its step; call `assertBackendMemory` before
 * creating anything large on the backend.
 */
export const WASM_SAFE_HEAP_BYTES = 3 * 1024 ** 3;

/** Formats a byte count for messages, e.g. `3.00 GiB`. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/**
 * Refuses work that would push the wasm heap past WASM_SAFE_HEAP_BYTES, counting what tfjs
 * already holds (`tf.memory().numBytes`). A no-op on other backends (cpu tensors live in the JS
 * heap; native ones in native memory).
 *
 * @param bytesNeeded bytes the work is about to allocate on the backend
 * @param what what the bytes are for, for the message (e.g. `training set of 60000 rows`)
 * @throws MYELIN_ERR_BACKEND_MEMORY with how much was asked, how much is in use and the bound.
 * @example
 * assertBackendMemory(rows * cols * 4, `dataset "${name}" as one tensor`);
 */
export function assertBackendMemory(bytesNeeded: number, what: string): void {
  if (tf.getBackend() !== 'wasm') return;
  const inUse = tf.memory().numBytes;
  if (!Number.isFinite(bytesNeeded) || bytesNeeded < 0 || inUse + bytesNeeded > WASM_SAFE_HEAP_BYTES) {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND_MEMORY',
      `${what} needs ${formatBytes(bytesNeeded)} on the wasm backend, which already holds ${formatBytes(inUse)}; ` +
        `the safe bound is ${formatBytes(WASM_SAFE_HEAP_BYTES)} (past ~3.6 GiB the heap wraps and overwrites tensors). ` +
        'Keep the dataset in JS memory and feed it one batch at a time.',
    );
  }
}

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

let loading: Promise<void> | undefined;

/**
 * Loads `@tensorflow/tfjs-backend-wasm` and initialises the `wasm` backend, without switching
 * to it for good (the backend that was active before is restored). Node specifics: the binaries
 * are located with `setWasmPaths(<package dist>/)`, and the threaded build is ruled out (its
 * workers are `blob:` URLs, which Node rejects), so the SIMD single-threaded build is used.
 * Idempotent. Rejects when the package is missing or the binary does not start.
 */
export function initWasmBackend(): Promise<void> {
  loading ??= load().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function load(): Promise<void> {
  const spec = '@tensorflow/tfjs-backend-wasm';
  const wasm = (await import(spec)) as { setWasmPaths(prefix: string): void };
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve(spec));
  wasm.setWasmPaths(`${dist}${path.sep}`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const previous = tf.engine().backendName;
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('the wasm backend failed to initialise (tf.setBackend("wasm") returned false)');
  if (previous && previous !== 'wasm') await tf.setBackend(previous);
}

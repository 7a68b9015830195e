import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import type { BackendInfo, BackendName, BackendPreference } from './backend-info.js';
import { defaultImporter, loadNativeBackend, type ModuleImporter } from './native-backend.js';
import { registerWasmKernels } from './register-wasm-kernels.js';
import { backendSelfTest } from './self-test.js';
import { initWasmBackend } from './wasm-backend.js';
import { applyWorkarounds } from './workarounds.js';

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /**
   * Fail with MYELIN_ERR_BACKEND unless a native build runs on a CUDA device.
   * @defaultValue false
   */
  requireGpu?: boolean;
  /**
   * Candidate to try first; the others follow in the default order. `MYELIN_BACKEND` overrides it.
   * @defaultValue none: tensorflow-gpu, tensorflow, wasm, cpu
   */
  prefer?: BackendPreference;
  /** Receives one line naming the chosen backend and one per skipped candidate. */
  log?: (msg: string) => void;
}

/** What the selection needs from outside; tests replace the module importer. */
export interface SelectBackendDeps {
  importModule: ModuleImporter;
  env: Record<string, string | undefined>;
}

const ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const PREFERENCES: readonly BackendPreference[] = ['tensorflow', 'wasm', 'cpu'];

let selection: Promise<BackendInfo> | undefined;

/**
 * Picks the TensorFlow.js backend for this process, in one place: `@tensorflow/tfjs-node-gpu`
 * (only if it sees a CUDA device), `@tensorflow/tfjs-node`, wasm (SIMD, single-threaded, with
 * Myelin's extra kernels and workarounds), then the pure-JS cpu backend — the first that loads
 * and passes a tiny self-test. `MYELIN_BACKEND=cpu|wasm|tensorflow` (or `prefer`) moves one
 * candidate to the front. Idempotent: later calls return the first result (switching back to it
 * if a benchmark moved away) without initialising anything again.
 *
 * @throws MYELIN_ERR_BACKEND when `requireGpu` is set and no GPU backend is usable (the message
 *   says why: not installed, failed to load, no CUDA device), or MYELIN_BACKEND is invalid.
 * @example
 * const info = await selectBackend({ log: (m) => logger.info(m) });
 * // info: { name: 'wasm', tfBackend: 'wasm', gpu: false, reason: ['@tensorflow/tfjs-node-gpu: not installed', …] }
 */
export async function selectBackend(opts: SelectBackendOptions = {}): Promise<BackendInfo> {
  if (selection) {
    const info = await selection;
    if (opts.requireGpu && !info.gpu) {
      throw new MyelinError(
        'MYELIN_ERR_BACKEND',
        `a GPU backend is required, but this process already runs on ${info.name} (no GPU backend usable: ${info.reason.join('; ') || 'not tried'})`,
      );
    }
    if (tf.getBackend() !== info.tfBackend) await tf.setBackend(info.tfBackend);
    return info;
  }
  const pending = selectBackendUncached(opts, { importModule: defaultImporter, env: process.env });
  selection = pending;
  try {
    return await pending;
  } catch (e) {
    selection = undefined;
    throw e;
  }
}

/** The selection itself, without the process-wide cache (tests call it with fake deps). */
export async function selectBackendUncached(
  opts: SelectBackendOptions,
  deps: SelectBackendDeps,
): Promise<BackendInfo> {
  const log = opts.log ?? (() => undefined);
  const prefer = preference(opts, deps.env);
  const candidates: BackendName[] = opts.requireGpu ? ['tensorflow-gpu'] : order(prefer);
  const reason: string[] = [];
  let nativeCpuNote: string | undefined;

  for (const name of candidates) {
    const skip = (why: string): void => {
      reason.push(`${name}: ${why}`);
      log(`backend ${name} skipped: ${why}`);
    };
    let tfBackend = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    let gpu = false;
    if (name === 'tensorflow-gpu' || name === 'tensorflow') {
      const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      const loaded = await loadNativeBackend(pkg, deps.importModule);
      if (!loaded.ok) {
        skip(`${pkg} ${loaded.why}`);
        continue;
      }
      if (name === 'tensorflow-gpu' && !loaded.gpu) {
        nativeCpuNote = loaded.note;
        skip(`${pkg} ${loaded.note ?? 'sees no GPU device'}`);
        continue;
      }
      gpu = loaded.gpu;
      tfBackend = 'tensorflow';
    } else if (name === 'wasm') {
      try {
        await initWasmBackend();
        registerWasmKernels();
        applyWorkarounds('wasm');
      } catch (e) {
        skip(`@tensorflow/tfjs-backend-wasm failed to load: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
    } else {
      applyWorkarounds('cpu');
    }
    let switched: boolean;
    try {
      switched = await tf.setBackend(tfBackend);
    } catch (e) {
      switched = false;
      skip(`tf.setBackend("${tfBackend}") threw ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!switched) {
      skip(`tf.setBackend("${tfBackend}") failed`);
      continue;
    }
    const failure = backendSelfTest();
    if (failure) {
      skip(`self-test failed: ${failure}`);
      continue;
    }
    const native = name === 'tensorflow' && nativeCpuNote ? ' (the tfjs-node-gpu build, on the CPU)' : '';
    log(
      `backend ${name}${native} selected (tfjs backend "${tfBackend}", gpu: ${gpu})${reason.length ? `; skipped: ${reason.join('; ')}` : ''}`,
    );
    return { name, tfBackend, gpu, reason };
  }

  if (opts.requireGpu) {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `a GPU backend is required, but no GPU backend is usable: ${reason.join('; ')}`,
    );
  }
  throw new MyelinError('MYELIN_ERR_BACKEND', `no TensorFlow.js backend is usable: ${reason.join('; ')}`);
}

function preference(
  opts: SelectBackendOptions,
  env: Record<string, string | undefined>,
): BackendPreference | undefined {
  const fromEnv = env['MYELIN_BACKEND']?.trim();
  if (fromEnv) {
    if (!(PREFERENCES as readonly string[]).includes(fromEnv)) {
      throw new MyelinError(
        'MYELIN_ERR_BACKEND',
        `MYELIN_BACKEND must be one of ${PREFERENCES.join(', ')}, got "${fromEnv}"`,
      );
    }
    return fromEnv as BackendPreference;
  }
  return opts.prefer;
}

function order(prefer: BackendPreference | undefined): BackendName[] {
  if (!prefer) return [...ORDER];
  const first: BackendName[] = prefer === 'tensorflow' ? ['tensorflow-gpu', 'tensorflow'] : [prefer];
  return [...first, ...ORDER.filter((n) => !first.includes(n))];
}

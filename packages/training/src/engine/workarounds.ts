import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { unfusedFusedMatMul } from './fused-matmul-unfused.js';
import { toKernelFunc } from './kernel-io.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { transposedMatMulFastPath } from './transposed-matmul-fast-path.js';

/** One patch to a tfjs backend, with the test that shows the problem and the fix. */
export interface Workaround {
  /** Stable id, e.g. `wasm-fused-matmul-slow-path`. */
  id: string;
  /** What is wrong (or slow) upstream and what the patch does. */
  description: string;
  /** `bug`: upstream gives wrong results; `performance`: same results, faster. */
  kind: 'bug' | 'performance';
  /** The tfjs backend it patches. */
  backend: 'wasm' | 'cpu';
  /** The kernel it replaces. */
  kernelName: string;
  /** Where the test lives that demonstrates the upstream behaviour and checks the patch. */
  test: string;
  /** Replaces the stock kernel. Idempotent. Needs the backend's package to be loaded. */
  apply(): void;
  /** Restores the stock kernel (for tests that show the upstream behaviour). Idempotent. */
  revert(): void;
  /** Whether the patch is in place. */
  isApplied(): boolean;
}

/** Builds a workaround that swaps one registered kernel for a wrapper of it. */
function kernelSwap(
  spec: Omit<Workaround, 'apply' | 'revert' | 'isApplied'>,
  wrap: (stock: tf.KernelConfig) => tf.KernelConfig,
): Workaround {
  let stock: tf.KernelConfig | undefined;
  let applied = false;
  return {
    ...spec,
    apply() {
      if (applied) return;
      const current = tf.getKernel(spec.kernelName, spec.backend);
      if (!current) {
        throw new MyelinError(
          'MYELIN_ERR_BACKEND',
          `workaround ${spec.id}: kernel ${spec.kernelName} is not registered for ${spec.backend} (load the backend first)`,
        );
      }
      stock = current;
      tf.unregisterKernel(spec.kernelName, spec.backend);
      tf.registerKernel(wrap(current));
      applied = true;
    },
    revert() {
      if (!applied || !stock) return;
      tf.unregisterKernel(spec.kernelName, spec.backend);
      tf.registerKernel(stock);
      applied = false;
    },
    isApplied: () => applied,
  };
}

/**
 * Every patch Myelin makes to tfjs backends, in one place. `applyWorkarounds` applies them;
 * `selectBackend` does so for the backend it picks.
 */
export const WORKAROUNDS: readonly Workaround[] = [
  kernelSwap(
    {
      id: 'wasm-fused-matmul-slow-path',
      description:
        'tfjs-backend-wasm 4.22 _FusedMatMul with a bias or an activation is wrong on its slow batch-matmul path ' +
        '(transposeA/transposeB, or more than one matrix in the batch): the bias and activation are applied per ' +
        '48-wide block of the shared dimension and the bias is indexed wrongly. The patch computes those cases ' +
        'unfused (BatchMatMul, Add, activation kernel); the fast path keeps the stock kernel.',
      kind: 'bug',
      backend: 'wasm',
      kernelName: '_FusedMatMul',
      test: 'packages/training/src/engine/workarounds.test.ts > wasm-fused-matmul-slow-path',
    },
    (stock) => unfusedFusedMatMul(stock, 'wasm'),
  ),
  kernelSwap(
    {
      id: 'wasm-max-pool-grad-negative-window',
      description:
        'tfjs-backend-wasm 4.22 MaxPoolGrad starts its running maximum at 0: when every input of a pooling window ' +
        "is negative, the gradient goes to the window's first element instead of its largest (max abs difference " +
        'vs cpu ~0.9 on random inputs in [-1, 1]). Found by the conformance test. The patch uses a flat ' +
        'typed-array MaxPoolGrad that picks the first largest element, as the cpu backend does.',
      kind: 'bug',
      backend: 'wasm',
      kernelName: 'MaxPoolGrad',
      test: 'packages/training/src/engine/workarounds.test.ts > wasm-max-pool-grad-negative-window',
    },
    (stock) => ({ ...stock, kernelFunc: toKernelFunc(maxPoolGrad, 'MaxPoolGrad') }),
  ),
  kernelSwap(
    {
      id: 'wasm-transposed-matmul-fast-path',
      description:
        'tfjs-backend-wasm 4.22 BatchMatMul with transposeA/transposeB skips XNNPACK and runs a scalar loop. ' +
        'The patch transposes the operand with the wasm Transpose kernel and calls the fast path (batch 1 only).',
      kind: 'performance',
      backend: 'wasm',
      kernelName: 'BatchMatMul',
      test: 'packages/training/src/engine/workarounds.test.ts > wasm-transposed-matmul-fast-path',
    },
    (stock) => transposedMatMulFastPath(stock, 'wasm'),
  ),
  kernelSwap(
    {
      id: 'cpu-flat-conv2d-backprop-filter',
      description:
        'tfjs-backend-cpu 4.22 Conv2DBackpropFilter reads every element through TensorBuffer.get, which makes CNN ' +
        'training about 10x slower than needed. The patch uses the flat typed-array kernel also registered for wasm.',
      kind: 'performance',
      backend: 'cpu',
      kernelName: 'Conv2DBackpropFilter',
      test: 'packages/training/src/engine/workarounds.test.ts > cpu-flat-conv2d-backprop-filter',
    },
    (stock) => ({ ...stock, kernelFunc: toKernelFunc(conv2dBackpropFilter, 'Conv2DBackpropFilter') }),
  ),
];

/**
 * Applies the workarounds for `backend` (default: every backend whose kernels are registered,
 * i.e. whose package is loaded). Idempotent.
 *
 * @returns the ids applied (including ones already in place).
 * @example
 * await initWasmBackend();
 * applyWorkarounds('wasm'); // ['wasm-fused-matmul-slow-path', 'wasm-transposed-matmul-fast-path']
 */
export function applyWorkarounds(backend?: 'wasm' | 'cpu'): string[] {
  const ids: string[] = [];
  for (const w of WORKAROUNDS) {
    if (backend !== undefined && w.backend !== backend) continue;
    if (backend === undefined && !tf.getKernel(w.kernelName, w.backend)) continue;
    w.apply();
    ids.push(w.id);
  }
  return ids;
}

/** The workaround with this id, or an error. */
export function workaround(id: string): Workaround {
  const w = WORKAROUNDS.find((x) => x.id === id);
  if (!w) throw new MyelinError('MYELIN_ERR_INTERNAL', `no workaround with id ${id}`);
  return w;
}

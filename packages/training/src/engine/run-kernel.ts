import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/**
 * Runs another registered kernel of `backendName` from inside a kernel function (no engine
 * bookkeeping: the caller disposes intermediates with `backend.disposeData`).
 */
export function runKernel(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const k = tf.getKernel(kernelName, backendName);
  if (!k)
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `kernel ${kernelName} is not registered for backend ${backendName}`,
    );
  const out = k.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new MyelinError(
      'MYELIN_ERR_INTERNAL',
      `kernel ${kernelName} returned ${out.length} outputs, expected one`,
    );
  }
  return out;
}

/** Product of the batch dimensions (all but the last two) of a matmul operand. */
export function batchSize(shape: number[]): number {
  return shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

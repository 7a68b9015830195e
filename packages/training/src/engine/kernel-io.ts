import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/** The typed arrays a numeric tensor's data is read as. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** The arguments tfjs passes to a kernel function, with the backend typed. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/** Whether a kernel's `backend` argument (typed `{}` by tfjs) is a tfjs `KernelBackend`. */
export function isKernelBackend(b: unknown): b is tf.KernelBackend {
  return (
    typeof b === 'object' &&
    b !== null &&
    'readSync' in b &&
    typeof b.readSync === 'function' &&
    'write' in b &&
    typeof b.write === 'function' &&
    'disposeData' in b &&
    typeof b.disposeData === 'function'
  );
}

/**
 * A Myelin kernel (its `backend` a `KernelBackend`) as the `KernelFunc` tfjs registers, whose
 * `backend` is typed `{}`: the backend is checked once per call.
 *
 * @example
 * tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: toKernelFunc(maxPoolGrad, 'MaxPoolGrad') });
 */
export function toKernelFunc(
  fn: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[],
  kernel: string,
): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    if (!isKernelBackend(backend))
      throw new MyelinError(
        'MYELIN_ERR_BACKEND',
        `${kernel}: the backend passed in is not a tfjs KernelBackend`,
      );
    return fn({ inputs, backend, attrs });
  };
}

/** Reads a tensor's values synchronously from any backend (a copy on wasm). */
export function readValues(backend: tf.KernelBackend, t: tf.TensorInfo): NumericArray {
  return backend.readSync(t.dataId) as NumericArray;
}

/** Writes `values` as a new tensor on `backend` and returns its TensorInfo (a kernel output). */
export function writeOutput(
  backend: tf.KernelBackend,
  values: Float32Array | Int32Array,
  shape: number[],
  dtype: tf.DataType,
): tf.TensorInfo {
  const dataId = backend.write(values, shape, dtype);
  return { dataId, shape, dtype };
}

/** The input named `name`, or an error naming the kernel. */
export function input(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new MyelinError('MYELIN_ERR_BACKEND', `${kernel}: input "${name}" is missing`);
  return t;
}

/** Rank-4 shape check for NHWC kernels. */
export function shape4(t: tf.TensorInfo, what: string, kernel: string): [number, number, number, number] {
  if (t.shape.length !== 4) {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `${kernel}: ${what} must be rank 4 (NHWC), got shape [${t.shape.join(', ')}]`,
    );
  }
  return t.shape as [number, number, number, number];
}

/** Throws unless every dilation is 1 (the only value these kernels support). */
export function assertNoDilation(dilations: unknown, kernel: string): void {
  const d =
    dilations === undefined || dilations === null
      ? [1, 1]
      : Array.isArray(dilations)
        ? dilations
        : [dilations, dilations];
  if (!d.every((v) => v === 1)) {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `${kernel}: only dilations 1 are supported, got [${d.join(', ')}]`,
    );
  }
}

/** Throws unless the data format is channels-last. */
export function assertNhwc(dataFormat: unknown, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `${kernel}: only NHWC data format is supported, got ${String(dataFormat)}`,
    );
  }
}

/** Converts a float64 accumulator to the float32 values a kernel outputs. */
export function toFloat32(acc: Float64Array): Float32Array {
  return Float32Array.from(acc);
}

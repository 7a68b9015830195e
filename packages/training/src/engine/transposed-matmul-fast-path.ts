import type * as tf from '@tensorflow/tfjs';
import { boolAttr } from './kernel-attrs.js';
import { toKernelFunc, type KernelArgs } from './kernel-io.js';
import { batchSize, runKernel } from './run-kernel.js';

const KERNEL = 'BatchMatMul';

/**
 * Wraps the wasm `BatchMatMul` kernel: a single (batch 1) float32 product with `transposeA` or
 * `transposeB` is computed by transposing that operand with the wasm Transpose kernel first and
 * calling the stock kernel untransposed, which takes XNNPACK's fast path instead of a scalar loop
 * (engine notes, "Cheap wins": the backward pass of dense layers 1.5–3.5x faster).
 */
export function transposedMatMulFastPath(stock: tf.KernelConfig, backendName: string): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { inputs, backend } = args;
    const transposeA = boolAttr(args.attrs, 'transposeA', KERNEL);
    const transposeB = boolAttr(args.attrs, 'transposeB', KERNEL);
    const a = inputs['a'];
    const b = inputs['b'];
    const applies =
      a &&
      b &&
      (transposeA || transposeB) &&
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      batchSize(a.shape) === 1 &&
      batchSize(b.shape) === 1;
    if (!applies) return stock.kernelFunc(args);
    const temps: tf.TensorInfo[] = [];
    const flip = (t: tf.TensorInfo): tf.TensorInfo => {
      const r = t.shape.length;
      const perm = [...Array(r).keys()];
      perm[r - 2] = r - 1;
      perm[r - 1] = r - 2;
      const out = runKernel('Transpose', backendName, backend, { x: t }, { perm });
      temps.push(out);
      return out;
    };
    const a2 = transposeA ? flip(a) : a;
    const b2 = transposeB ? flip(b) : b;
    try {
      return stock.kernelFunc({
        inputs: { a: a2, b: b2 },
        backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  return { ...stock, kernelFunc: toKernelFunc(kernelFunc, KERNEL) };
}

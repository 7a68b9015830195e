import type * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import { boolAttr, numberAttr, stringAttr } from './kernel-attrs.js';
import { input, toKernelFunc, type KernelArgs } from './kernel-io.js';
import { batchSize, runKernel } from './run-kernel.js';

const KERNEL = '_FusedMatMul';

/**
 * Wraps the wasm `_FusedMatMul` kernel so that the cases its slow batch-matmul path gets wrong
 * (engine notes, hazard 1: any `transposeA`/`transposeB`, or a batch of more than one matrix,
 * with a bias or an activation) are computed unfused: BatchMatMul, then Add bias, then the
 * activation kernel. Everything else goes to the stock kernel (its fast XNNPACK path is right).
 */
export function unfusedFusedMatMul(stock: tf.KernelConfig, backendName: string): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { inputs, backend } = args;
    const a = input(inputs, 'a', KERNEL);
    const b = input(inputs, 'b', KERNEL);
    const bias = inputs['bias'];
    const preluActivationWeights = inputs['preluActivationWeights'];
    const transposeA = boolAttr(args.attrs, 'transposeA', KERNEL);
    const transposeB = boolAttr(args.attrs, 'transposeB', KERNEL);
    const activation = stringAttr(args.attrs, 'activation', KERNEL) ?? 'linear';
    const fused = bias != null || activation !== 'linear';
    const slowPath = transposeA || transposeB || batchSize(a.shape) > 1 || batchSize(b.shape) > 1;
    if (!fused || !slowPath) return stock.kernelFunc(args);

    const run = (name: string, ins: tf.NamedTensorInfoMap, at: tf.NamedAttrMap = {}): tf.TensorInfo =>
      runKernel(name, backendName, backend, ins, at);
    let out = run('BatchMatMul', { a, b }, { transposeA, transposeB });
    const step = (next: tf.TensorInfo): void => {
      backend.disposeData(out.dataId);
      out = next;
    };
    if (bias != null) step(run('Add', { a: out, b: bias }));
    switch (activation) {
      case 'linear':
        break;
      case 'relu':
        step(run('Relu', { x: out }));
        break;
      case 'relu6':
        step(run('Relu6', { x: out }));
        break;
      case 'elu':
        step(run('Elu', { x: out }));
        break;
      case 'sigmoid':
        step(run('Sigmoid', { x: out }));
        break;
      case 'leakyrelu':
        step(run('LeakyRelu', { x: out }, { alpha: numberAttr(args.attrs, 'leakyreluAlpha', KERNEL, 0.2) }));
        break;
      case 'prelu':
        if (!preluActivationWeights)
          throw new MyelinError('MYELIN_ERR_BACKEND', '_FusedMatMul: prelu needs preluActivationWeights');
        step(run('Prelu', { x: out, alpha: preluActivationWeights }));
        break;
      default:
        throw new MyelinError(
          'MYELIN_ERR_BACKEND',
          `_FusedMatMul: unsupported activation ${String(activation)}`,
        );
    }
    return out;
  };
  return { ...stock, kernelFunc: toKernelFunc(kernelFunc, KERNEL) };
}

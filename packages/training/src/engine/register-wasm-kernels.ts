import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input.js';
import { toKernelFunc, type KernelArgs } from './kernel-io.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/** The kernels tfjs-backend-wasm 4.22 lacks and Myelin adds (hazard 3 of the engine notes). */
export const WASM_ADDED_KERNELS: ReadonlyArray<{
  kernelName: string;
  kernelFunc: (args: KernelArgs) => tf.TensorInfo;
}> = [
  { kernelName: 'Conv2DBackpropFilter', kernelFunc: conv2dBackpropFilter },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', kernelFunc: depthwiseConv2dBackpropFilter },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', kernelFunc: depthwiseConv2dBackpropInput },
  { kernelName: 'UnsortedSegmentSum', kernelFunc: unsortedSegmentSum },
];

/**
 * Registers the gradient kernels the wasm backend lacks, so CNNs, depthwise convolutions and
 * embeddings can train on it. Idempotent; kernels the backend already has are left alone.
 * Does not load the wasm backend itself (kernels are registered by backend name).
 *
 * @returns the names of the kernels registered by this call.
 * @example
 * registerWasmKernels(); // ['Conv2DBackpropFilter', …] the first time, [] after
 */
export function registerWasmKernels(): string[] {
  const added: string[] = [];
  for (const k of WASM_ADDED_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm')) continue;
    tf.registerKernel({
      kernelName: k.kernelName,
      backendName: 'wasm',
      kernelFunc: toKernelFunc(k.kernelFunc, k.kernelName),
    });
    added.push(k.kernelName);
  }
  return added;
}

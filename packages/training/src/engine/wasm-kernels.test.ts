import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './register-wasm-kernels.js';
import { maxAbsDiff, rand, valuesOn } from './test-helpers.js';
import { initWasmBackend } from './wasm-backend.js';

beforeAll(async () => {
  await initWasmBackend();
  registerWasmKernels();
});

type Pad = 'same' | 'valid';
const convCases: Array<{
  x: [number, number, number, number];
  f: [number, number];
  cout: number;
  s: number | [number, number];
  pad: Pad;
}> = [
  { x: [2, 5, 5, 3], f: [3, 3], cout: 4, s: 1, pad: 'same' },
  { x: [1, 7, 6, 2], f: [3, 2], cout: 3, s: 2, pad: 'valid' },
  { x: [3, 8, 8, 1], f: [5, 5], cout: 8, s: [2, 1], pad: 'same' },
  { x: [2, 6, 9, 4], f: [1, 1], cout: 2, s: 3, pad: 'valid' },
];

describe('registerWasmKernels', () => {
  it('adds the four missing kernels once', () => {
    for (const k of [
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]) {
      expect(tf.getKernel(k, 'wasm')).toBeDefined();
    }
    expect(registerWasmKernels()).toEqual([]);
  });

  it.each(convCases)(
    'Conv2DBackpropFilter matches cpu: x=$x f=$f cout=$cout s=$s $pad',
    async ({ x, f, cout, s, pad }) => {
      const run = (): tf.Tensor[] => {
        const g = tf.grads((a: tf.Tensor, w: tf.Tensor) =>
          tf
            .conv2d(a as tf.Tensor4D, w as tf.Tensor4D, s, pad)
            .square()
            .sum(),
        );
        return g([rand(x, 1), rand([f[0], f[1], x[3], cout], 2)]);
      };
      expect(maxAbsDiff(await valuesOn('wasm', run), await valuesOn('cpu', run))).toBeLessThan(1e-4);
    },
  );

  it.each(convCases)(
    'depthwise backprop filter and input match cpu: x=$x f=$f s=$s $pad',
    async ({ x, f, s, pad }) => {
      const mult = 2;
      const run = (): tf.Tensor[] => {
        const xt = rand(x, 4) as tf.Tensor4D;
        const w = rand([f[0], f[1], x[3], mult], 5) as tf.Tensor4D;
        const strides: [number, number] = typeof s === 'number' ? [s, s] : s;
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf
            .depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad)
            .square()
            .sum(),
        );
        return g([xt, w]);
      };
      expect(maxAbsDiff(await valuesOn('wasm', run), await valuesOn('cpu', run))).toBeLessThan(1e-4);
    },
  );

  it.each([
    { rows: 10, inner: [4], segments: 5 },
    { rows: 7, inner: [2, 3], segments: 9 },
    { rows: 32, inner: [16], segments: 3 },
  ])(
    'UnsortedSegmentSum matches cpu: rows=$rows inner=$inner segments=$segments',
    async ({ rows, inner, segments }) => {
      const run = (): tf.Tensor => {
        const ids = tf.tensor1d(
          Array.from({ length: rows }, (_, i) => (i * 7) % segments),
          'int32',
        );
        return tf.unsortedSegmentSum(rand([rows, ...inner], 6), ids, segments);
      };
      expect(maxAbsDiff(await valuesOn('wasm', run), await valuesOn('cpu', run))).toBeLessThan(1e-4);
    },
  );

  it('embedding gradients (gather → UnsortedSegmentSum) match cpu', async () => {
    const run = (): tf.Tensor => {
      const table = rand([12, 5], 7);
      const ids = tf.tensor1d([0, 3, 3, 11, 5, 0], 'int32');
      return tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum())(table);
    };
    expect(maxAbsDiff(await valuesOn('wasm', run), await valuesOn('cpu', run))).toBeLessThan(1e-4);
  });

  it('refuses dilations other than 1 with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = rand([1, 6, 6, 2], 1) as tf.Tensor4D;
    const dy = rand([1, 2, 2, 2], 2) as tf.Tensor4D;
    expect(() =>
      tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'valid', dilations: 2, filterShape: [3, 3, 2, 1] },
        ),
    ).toThrow(/only dilations 1/);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] },
        ),
    ).toThrow(/only NHWC/);
    tf.dispose([x, dy]);
  });

  it('a small CNN trains on wasm (conv2d → maxPool → flatten → dense) and its loss falls', async () => {
    await tf.setBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({
          units: 3,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const n = 48;
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    // Noise plus a brightness that depends on the class: learnable in a few steps.
    const xs = tf.tidy(() =>
      rand([n, 8, 8, 1], 9)
        .mul(0.3)
        .add(
          tf.tensor4d(
            labels.map((l) => l * 0.5),
            [n, 1, 1, 1],
          ),
        ),
    );
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    const h = await model.fit(xs, ys, { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });
    const loss = h.history['loss'] as number[];
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] as number);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

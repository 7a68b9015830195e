import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { buildModel, getWeightsSnapshot, type LayerSpec } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const hidden: LayerSpec[] = [
  { dense: { units: 8, activation: 'relu', kernelRegularizer: { l2: 0.01 } } },
  { dropout: { rate: 0.2 } },
  { batchNormalization: {} },
  { dense: { units: 4, activation: 'selu' } },
];

describe('buildModel', () => {
  it('gives the same initial weights for the same seed, different ones for another seed', () => {
    const a = buildModel({ layers: hidden, task: 'binary', inputShape: [5], seed: 7 });
    const b = buildModel({ layers: hidden, task: 'binary', inputShape: [5], seed: 7 });
    const c = buildModel({ layers: hidden, task: 'binary', inputShape: [5], seed: 8 });
    const wa = getWeightsSnapshot(a);
    expect(getWeightsSnapshot(b)).toEqual(wa);
    expect(getWeightsSnapshot(c)[0]).not.toEqual(wa[0]);
    // layers get different seeds: the two 5→8 and 8→4 kernels are not built from one stream
    expect(Array.from(wa[0] as Float32Array).slice(0, 4)).not.toEqual(
      Array.from(wa[6] as Float32Array).slice(0, 4),
    );
    [a, b, c].forEach((m) => m.dispose());
  });

  it('adds the output layer and loss from the task', () => {
    const bin = buildModel({ layers: hidden, task: 'binary', inputShape: [5], seed: 1 });
    expect(bin.outputs[0]?.shape).toEqual([null, 1]);
    expect(bin.layers.at(-1)?.getConfig()['activation']).toBe('sigmoid');
    expect(bin.loss).toBe('binaryCrossentropy');

    const mc = buildModel({ layers: hidden, task: 'multiclass', numClasses: 3, inputShape: [5], seed: 1 });
    expect(mc.outputs[0]?.shape).toEqual([null, 3]);
    expect(mc.layers.at(-1)?.getConfig()['activation']).toBe('softmax');
    expect(mc.loss).toBe('categoricalCrossentropy');

    const reg = buildModel({ layers: [], task: 'regression', inputShape: [5], seed: 1 });
    expect(reg.outputs[0]?.shape).toEqual([null, 1]);
    expect(reg.layers.at(-1)?.getConfig()['activation']).toBe('linear');
    expect(reg.loss).toBe('meanSquaredError');

    const over = buildModel({
      layers: [],
      task: 'regression',
      inputShape: [5],
      seed: 1,
      output: { activation: 'relu', loss: 'meanAbsoluteError' },
    });
    expect(over.layers.at(-1)?.getConfig()['activation']).toBe('relu');
    expect(over.loss).toBe('meanAbsoluteError');
    [bin, mc, reg, over].forEach((m) => m.dispose());
  });

  it('adds the kernel regularizer as a loss', () => {
    const m = buildModel({ layers: hidden, task: 'binary', inputShape: [5], seed: 1 });
    const losses = m.calculateLosses();
    expect(losses).toHaveLength(1);
    // 0.01 · Σ kernel² of the first dense layer
    const kernel = getWeightsSnapshot(m)[0] as Float32Array;
    const expected = 0.01 * kernel.reduce((s, v) => s + v * v, 0);
    expect(losses[0]?.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose(losses);
    m.dispose();
  });

  it('reshapes flat rows into images and flattens before dense layers on its own', () => {
    const m = buildModel({
      layers: [
        { conv2d: { filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { maxPooling2d: { poolSize: 2 } },
        { dense: { units: 4, activation: 'relu' } },
      ],
      task: 'multiclass',
      numClasses: 3,
      inputShape: [4, 4, 1],
      seed: 3,
    });
    expect(m.inputs[0]?.shape).toEqual([null, 16]);
    expect(m.layers.map((l) => l.getClassName())).toEqual([
      'Reshape',
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dense',
    ]);
    const y = tf.tidy(() => m.predict(tf.zeros([2, 16])) as tf.Tensor);
    expect(y.shape).toEqual([2, 3]);
    y.dispose();
    m.dispose();
  });

  it('flattens image output before the output layer when no dense layer follows', () => {
    const m = buildModel({
      layers: [{ conv2d: { filters: 2, kernelSize: 2 } }, { flatten: {} }],
      task: 'binary',
      inputShape: [3, 3, 1],
      seed: 3,
    });
    expect(m.layers.map((l) => l.getClassName())).toEqual(['Reshape', 'Conv2D', 'Flatten', 'Dense']);
    m.dispose();
  });

  it('refuses conv2d on tabular rows with the layer path', () => {
    try {
      buildModel({
        layers: [{ dense: { units: 2 } }, { conv2d: { filters: 2, kernelSize: 2 } }],
        task: 'binary',
        inputShape: [4],
        seed: 1,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MyelinError);
      expect((e as MyelinError).code).toBe('MYELIN_ERR_SPEC_INVALID');
      expect((e as MyelinError).location?.path).toBe('model.layers[1]');
    }
  });

  it('refuses a multiclass model without numClasses, an unknown loss and a bad input shape', () => {
    expect(() => buildModel({ layers: [], task: 'multiclass', inputShape: [4], seed: 1 })).toThrow(
      /numClasses/,
    );
    expect(() =>
      // a loss from outside the type system (a decoded file): refused at run time too
      buildModel({
        layers: [],
        task: 'binary',
        inputShape: [4],
        seed: 1,
        output: JSON.parse('{"loss":"hinge"}'),
      }),
    ).toThrow(/unknown loss/);
    expect(() => buildModel({ layers: [], task: 'binary', inputShape: [4, 4], seed: 1 })).toThrow(
      /inputShape/,
    );
  });
});

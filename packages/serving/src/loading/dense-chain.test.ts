import * as tf from '@tensorflow/tfjs';
import { predictBatches, selectBackend } from '@myelin/training';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseChain } from './dense-chain.js';

beforeAll(async () => {
  await selectBackend(); // the backend serving runs on
});

/** Deterministic values in [-2, 2]. */
const rows = (n: number, d: number): Float32Array =>
  Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.71 + 0.3) * 2);

function seeded(model: tf.Sequential, seed: number): tf.Sequential {
  let s = seed;
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return (s / 2 ** 32) * 2 - 1;
        }),
        w.shape,
      ),
    ),
  );
  return model;
}

describe('denseChain', () => {
  const d = 10;
  it.each([
    [
      'relu, dropout, relu, softmax (the penguins network)',
      () => [
        tf.layers.dense({ units: 16, activation: 'relu', inputShape: [d] }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 8, activation: 'relu' }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    ],
    [
      'elu, tanh, sigmoid',
      () => [
        tf.layers.dense({ units: 16, activation: 'elu', inputShape: [d] }),
        tf.layers.dense({ units: 8, activation: 'tanh' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    ],
    [
      'linear without a bias, then linear (a regression head)',
      () => [tf.layers.dense({ units: 16, useBias: false, inputShape: [d] }), tf.layers.dense({ units: 1 })],
    ],
  ])('gives the layers API outputs bit for bit: %s', (_what, layers) => {
    const model = seeded(tf.sequential({ layers: layers() }), 11);
    const chain = denseChain(model, d);
    if (!chain) throw new Error('a chain of dense layers was declined');
    for (const [n, batch] of [
      [1, 256],
      [300, 256],
      [37, 8],
    ] as const) {
      const x = rows(n, d);
      const tensors = tf.memory().numTensors;
      const got = chain.predict(x, n, batch);
      expect(tf.memory().numTensors).toBe(tensors); // every intermediate tensor disposed
      expect(Array.from(got)).toEqual(Array.from(predictBatches(model, x, n, d, batch)));
    }
    chain.dispose();
    model.dispose();
  });

  it('declines a model with any other layer', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.batchNormalization()],
    });
    const tensors = tf.memory().numTensors;
    expect(denseChain(model, 3)).toBeNull();
    expect(tf.memory().numTensors).toBe(tensors); // the view of the first kernel released
    model.dispose();
  });
});

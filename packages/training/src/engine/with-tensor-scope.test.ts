import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTensorScope } from './with-tensor-scope.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A compiled model that has trained once, so its optimizer state (variables) already exists. */
async function smallModel(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.Sequential> {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  await m.fit(xs, ys, { epochs: 1, batchSize: 16, verbose: 0 });
  return m;
}

describe('withTensorScope', () => {
  it('disposes the tensors of a fit that throws', async () => {
    const xs = tf.randomNormal([64, 4]);
    const ys = tf.randomNormal([64, 1]);
    const model = await smallModel(xs, ys);
    const before = tf.memory().numTensors;
    const failing = (): Promise<tf.History> =>
      model.fit(xs, ys, {
        epochs: 3,
        batchSize: 8,
        verbose: 0,
        callbacks: {
          onBatchEnd: (batch) => {
            if (batch === 3) throw new Error('boom');
          },
        },
      });
    await expect(withTensorScope(failing)).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('without the scope the same failure leaks (documents upstream behaviour)', async () => {
    const xs = tf.randomNormal([64, 4]);
    const ys = tf.randomNormal([64, 1]);
    const model = await smallModel(xs, ys);
    const before = tf.memory().numTensors;
    await expect(
      model.fit(xs, ys, {
        epochs: 1,
        batchSize: 8,
        verbose: 0,
        callbacks: { onBatchEnd: () => Promise.reject(new Error('boom')) },
      }),
    ).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('keeps the results and the model of a fit that succeeds', async () => {
    const xs = tf.randomNormal([32, 4]);
    const ys = tf.randomNormal([32, 1]);
    const model = await smallModel(xs, ys);
    const kept = await withTensorScope(async () => {
      await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 });
      return model.predict(xs) as tf.Tensor;
    });
    expect(kept.isDisposed).toBe(false);
    expect(kept.shape).toEqual([32, 1]);
    expect(model.getWeights().every((w) => !w.isDisposed)).toBe(true);
    // the model still trains afterwards (optimizer state intact)
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 });
    tf.dispose([xs, ys, kept]);
    model.dispose();
  });

  it('restores the scope stack when nested in tf.tidy-style scopes', async () => {
    const outer = tf.engine().state;
    const depth = outer.scopeStack.length;
    await expect(withTensorScope(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(outer.scopeStack.length).toBe(depth);
  });
});

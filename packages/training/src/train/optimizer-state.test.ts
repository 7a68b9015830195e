import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createOptimizer,
  disposeOptimizer,
  readOptimizerState,
  setOptimizerLearningRate,
  writeOptimizerState,
} from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function stepped(name: 'sgd' | 'momentum' | 'adam' | 'rmsprop', steps: number) {
  const v = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 3])));
  const opt = createOptimizer({ name, learningRate: 0.01 });
  for (let i = 0; i < steps; i++) opt.minimize(() => tf.sum(tf.square(v)) as tf.Scalar)?.dispose();
  return { v, opt };
}

describe('optimizer state', () => {
  it.each(['sgd', 'momentum', 'adam', 'rmsprop'] as const)(
    '%s: state read back from a restored optimizer is identical',
    async (name) => {
      const before = tf.memory().numTensors;
      const { v, opt } = await stepped(name, 9);
      const state = await readOptimizerState(opt);
      expect(state[0]).toMatchObject({ name: 'iter', dtype: 'int32', data: new Float32Array([9]) });
      const fresh = createOptimizer({ name, learningRate: 0.01 });
      await writeOptimizerState(fresh, state);
      expect(await readOptimizerState(fresh)).toEqual(state);
      if (name === 'adam') expect(state.map((s) => s.name)).toContain('myelin:accBeta1');
      disposeOptimizer(opt);
      disposeOptimizer(fresh);
      v.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('a restored adam takes the same next step as the original', async () => {
    const a = await stepped('adam', 8);
    const state = await readOptimizerState(a.opt);
    const v2 = tf.tidy(() => tf.variable(a.v.clone()));
    const b = createOptimizer({ name: 'adam', learningRate: 0.01 });
    await writeOptimizerState(b, state);
    a.opt.minimize(() => tf.sum(tf.square(a.v)) as tf.Scalar)?.dispose();
    b.minimize(() => tf.sum(tf.square(v2)) as tf.Scalar)?.dispose();
    expect(v2.dataSync()).toEqual(a.v.dataSync());
    [a.opt, b].forEach(disposeOptimizer);
    tf.dispose([a.v, v2]);
  });

  it('changes the learning rate of every optimizer kind', async () => {
    for (const name of ['sgd', 'momentum', 'adam', 'rmsprop'] as const) {
      const v = tf.tidy(() => tf.variable(tf.tensor1d([1])));
      const opt = createOptimizer({ name, learningRate: 0.5 });
      setOptimizerLearningRate(opt, 0);
      opt.minimize(() => tf.sum(tf.square(v)) as tf.Scalar)?.dispose();
      expect(v.dataSync()[0], name).toBe(1); // learning rate 0: no move
      disposeOptimizer(opt);
      v.dispose();
    }
  });
});

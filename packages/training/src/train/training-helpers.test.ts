import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/index.js';
import {
  learningRateAt,
  MetricTracker,
  predictBatches,
  sampleWeightsFor,
  seededPermutation,
} from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('learningRateAt', () => {
  const base = { epochs: 10, optimizer: { name: 'sgd' as const, learningRate: 0.1 } };
  it('keeps the base rate without a schedule', () => {
    expect(learningRateAt(base, 7)).toBe(0.1);
  });
  it('step: halves every 3 epochs', () => {
    const c = { ...base, lrSchedule: { type: 'step' as const, every: 3, factor: 0.5 } };
    expect([1, 3, 4, 6, 7].map((e) => learningRateAt(c, e))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it('exponential: base · decay^(epoch − 1)', () => {
    const c = { ...base, lrSchedule: { type: 'exponential' as const, decay: 0.9 } };
    expect(learningRateAt(c, 1)).toBe(0.1);
    expect(learningRateAt(c, 3)).toBeCloseTo(0.081, 12);
  });
  it('cosine: from base down towards the minimum', () => {
    const c = { ...base, lrSchedule: { type: 'cosine' as const, minLearningRate: 0.02 } };
    expect(learningRateAt(c, 1)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 6)).toBeCloseTo(0.06, 12); // halfway: (0.1 + 0.02) / 2
    expect(learningRateAt(c, 11)).toBeCloseTo(0.02, 12);
  });
});

describe('seededPermutation', () => {
  it('is a permutation, repeatable per (seed, epoch), different across epochs', () => {
    const a = seededPermutation(50, 7, 1);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seededPermutation(50, 7, 1)).toEqual(a);
    expect(seededPermutation(50, 7, 2)).not.toEqual(a);
    expect(seededPermutation(50, 8, 1)).not.toEqual(a);
  });
});

describe('MetricTracker', () => {
  it('stops after `patience` epochs without an improvement beyond minDelta', () => {
    const t = new MetricTracker('lower', 0.01, 2);
    expect(t.update(1, 0.5)).toBe(true);
    expect(t.update(2, 0.495)).toBe(false); // better, but not by more than 0.01
    expect(t.shouldStop).toBe(false);
    expect(t.update(3, 0.6)).toBe(false);
    expect(t.shouldStop).toBe(true);
    expect(t.bestEpoch).toBe(1);
  });
  it('higher is better for accuracy, and NaN never improves', () => {
    const t = new MetricTracker('higher', 0, 3);
    t.update(1, Number.NaN);
    t.update(2, 0.7);
    t.update(3, 0.8);
    expect(t.update(4, 0.8)).toBe(false);
    expect([t.best, t.bestEpoch, t.wait]).toEqual([0.8, 3, 1]);
  });
});

describe('sampleWeightsFor', () => {
  it("'balanced' weighs class c by n / (k · count_c)", () => {
    // binary, 3 of class 0 and 1 of class 1 → 4/(2·3), 4/(2·1)
    const w = sampleWeightsFor('balanced', new Float32Array([0, 0, 1, 0]), 4, 1);
    expect(Array.from(w ?? [])).toEqual([4 / 6, 4 / 6, 2, 4 / 6].map(Math.fround));
  });
  it('a map by class index, one-hot targets; unlisted classes weigh 1', () => {
    const y = new Float32Array([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(Array.from(sampleWeightsFor({ '2': 3 }, y, 3, 3) ?? [])).toEqual([1, 3, 1]);
  });
  it('refuses keys that are not class indices', () => {
    expect(() => sampleWeightsFor({ cat: 2 }, new Float32Array([0, 1]), 2, 1)).toThrow(/not a class index/);
    expect(() => sampleWeightsFor({ '0': -1 }, new Float32Array([0, 1]), 2, 1)).toThrow(/≥ 0/);
  });
  it('is undefined when not set', () => {
    expect(sampleWeightsFor(undefined, new Float32Array([0]), 1, 1)).toBeUndefined();
  });
});

describe('predictBatches', () => {
  it('equals one big predict, for any batch size, without leaking tensors', () => {
    const model = buildModel({
      layers: [{ dense: { units: 5, activation: 'relu' } }],
      task: 'multiclass',
      numClasses: 3,
      inputShape: [2],
      seed: 4,
    });
    const x = new Float32Array(Array.from({ length: 14 }, (_, i) => Math.sin(i)));
    const whole = tf.tidy(() => (model.predict(tf.tensor2d(x, [7, 2])) as tf.Tensor).dataSync().slice());
    const before = tf.memory().numTensors;
    for (const b of [1, 3, 7, 100]) {
      const out = predictBatches(model, x, 7, 2, b);
      expect(out).toHaveLength(21);
      out.forEach((v, i) => expect(v).toBeCloseTo(whole[i] as number, 6));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => predictBatches(model, x, 8, 2, 4)).toThrow(/n·d/);
    model.dispose();
  });
});

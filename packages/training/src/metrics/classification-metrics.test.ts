import { describe, expect, it } from 'vitest';
import {
  accuracy,
  auroc,
  binaryAuroc,
  calibration,
  confusionMatrix,
  logLoss,
  precisionRecallF1,
  predictedClasses,
  toClassProbabilities,
} from './index.js';

// Binary example, P(class 1) per sample. Predicted (p > 0.5): [0, 1, 1, 0, 1, 0].
const binTrue = [0, 0, 1, 1, 1, 0];
const binP1 = [0.1, 0.6, 0.8, 0.4, 0.9, 0.3];

// Multiclass example (k = 3). Predicted: [0, 1, 2, 1, 2].
const mcTrue = [0, 1, 2, 2, 1];
const mcP = [0.7, 0.2, 0.1, 0.1, 0.5, 0.4, 0.2, 0.3, 0.5, 0.1, 0.6, 0.3, 0.3, 0.3, 0.4];

describe('class probabilities', () => {
  it('expands n×1 binary output to [1 − p, p] and takes the arg-max (ties → lower index)', () => {
    const probs = toClassProbabilities([0.8, 0.5, 0.2], 3);
    expect(probs.k).toBe(2);
    expect(Array.from(probs.p)).toEqual([1 - 0.8, 0.8, 0.5, 0.5, 1 - 0.2, 0.2]);
    expect(Array.from(predictedClasses(probs))).toEqual([1, 0, 0]);
  });

  it('refuses a column count that does not match the classes', () => {
    expect(() => toClassProbabilities([0.2, 0.8], 2, 3)).toThrow(/binary/);
    expect(() => toClassProbabilities([0.2, 0.3, 0.5], 2)).toThrow(/multiple/);
  });
});

describe('accuracy and confusion matrix', () => {
  it('binary: 4 of 6 right; rows are true classes', () => {
    const pred = predictedClasses(toClassProbabilities(binP1, 6));
    expect(Array.from(pred)).toEqual([0, 1, 1, 0, 1, 0]);
    expect(accuracy(binTrue, pred)).toBeCloseTo(4 / 6, 12);
    expect(confusionMatrix(binTrue, pred, 2)).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('multiclass: 3 of 5 right', () => {
    const pred = predictedClasses(toClassProbabilities(mcP, 5));
    expect(Array.from(pred)).toEqual([0, 1, 2, 1, 2]);
    expect(accuracy(mcTrue, pred)).toBe(0.6);
    expect(confusionMatrix(mcTrue, pred, 3)).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 1, 1],
    ]);
  });
});

describe('precision, recall, F1', () => {
  it('per class and macro (multiclass example)', () => {
    const { perClass, macro } = precisionRecallF1([
      [1, 0, 0],
      [0, 1, 1],
      [0, 1, 1],
    ]);
    expect(perClass[0]).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(perClass[1]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(perClass[2]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(macro.precision).toBeCloseTo(2 / 3, 12);
    expect(macro.recall).toBeCloseTo(2 / 3, 12);
    expect(macro.f1).toBeCloseTo(2 / 3, 12);
  });

  it('unequal precision and recall: P = 2/3, R = 1 → F1 = 0.8', () => {
    // true 0: one right, one predicted 1; true 1: both right
    const { perClass } = precisionRecallF1([
      [1, 1],
      [0, 2],
    ]);
    expect(perClass[1]?.precision).toBeCloseTo(2 / 3, 12);
    expect(perClass[1]?.recall).toBe(1);
    expect(perClass[1]?.f1).toBeCloseTo(0.8, 12);
    expect(perClass[0]).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
  });

  it('zero division counts as 0 (class never predicted and absent from the truth)', () => {
    const { perClass, macro } = precisionRecallF1([
      [3, 0],
      [0, 0],
    ]);
    expect(perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(macro.precision).toBe(0.5);
    expect(macro.f1).toBe(0.5);
  });
});

describe('AUROC', () => {
  it('binary: scikit-learn doc example is 0.75', () => {
    expect(binaryAuroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('averages tied ranks (a positive–negative tie counts one half)', () => {
    expect(binaryAuroc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    // positives 0.5, 0.5; negatives 0.2, 0.5 → each positive: 1 + 0.5 → 3/4
    expect(binaryAuroc([0, 1, 1, 0], [0.2, 0.5, 0.5, 0.5])).toBeCloseTo(0.75, 12);
  });

  it('is undefined when one class is missing', () => {
    expect(binaryAuroc([1, 1], [0.2, 0.9])).toBeUndefined();
  });

  it('binary classifier: 8 of 9 positive–negative pairs ordered right', () => {
    expect(auroc(binTrue, toClassProbabilities(binP1, 6))).toBeCloseTo(8 / 9, 12);
  });

  it('multiclass one-vs-rest macro: (1 + 3.5/6 + 4/6) / 3 = 0.75', () => {
    expect(auroc(mcTrue, toClassProbabilities(mcP, 5))).toBeCloseTo(0.75, 12);
  });
});

describe('log loss', () => {
  it('binary: mean −ln of the true-class probability', () => {
    const expected = -(2 * Math.log(0.9) + 2 * Math.log(0.4) + Math.log(0.8) + Math.log(0.7)) / 6; // 0.437186832
    expect(logLoss(binTrue, toClassProbabilities(binP1, 6))).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.437186832, 8);
  });

  it('multiclass', () => {
    expect(logLoss(mcTrue, toClassProbabilities(mcP, 5))).toBeCloseTo(0.830182983, 8);
  });

  it('clips probabilities at 1e-15 (a confident miss costs −ln 1e-15 ≈ 34.5388)', () => {
    expect(logLoss([1], toClassProbabilities([0], 1))).toBeCloseTo(34.538776394910684, 8);
  });
});

describe('expected calibration error', () => {
  it('binary: 15 bins on the top probability', () => {
    const probs = toClassProbabilities(binP1, 6);
    const { ece, reliability } = calibration(binTrue, probs, predictedClasses(probs));
    // confidences 0.9 ✓ ×2, 0.6 ✗ ×2, 0.8 ✓, 0.7 ✓ → (2·0.1 + 2·0.6 + 0.2 + 0.3) / 6
    expect(ece).toBeCloseTo(1.9 / 6, 12);
    expect(reliability).toHaveLength(15);
    expect(reliability.reduce((s, b) => s + b.count, 0)).toBe(6);
    const top = reliability[13]; // (13/15, 14/15] holds 0.9
    expect(top?.lower).toBeCloseTo(13 / 15, 12);
    expect(top?.upper).toBeCloseTo(14 / 15, 12);
    expect(top?.count).toBe(2);
    expect(top?.accuracy).toBe(1);
    expect(top?.confidence).toBeCloseTo(0.9, 12);
    expect(reliability[0]).toEqual({ lower: 0, upper: 1 / 15, count: 0, accuracy: 0, confidence: 0 });
  });

  it('multiclass', () => {
    const probs = toClassProbabilities(mcP, 5);
    const { ece } = calibration(mcTrue, probs, predictedClasses(probs));
    // 0.7 ✓, 0.5 ✓ ×2, 0.6 ✗, 0.4 ✗ → 0.3/5 + 2·0.5/5 + 0.6/5 + 0.4/5 = 0.46
    expect(ece).toBeCloseTo(0.46, 12);
  });

  it('a perfectly calibrated and confident model has ECE 0', () => {
    const probs = toClassProbabilities([1, 0, 1], 3);
    expect(calibration([1, 0, 1], probs, predictedClasses(probs)).ece).toBe(0);
  });
});

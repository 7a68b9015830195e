import { describe, expect, it } from 'vitest';
import { computeMetrics, metricDirection } from './index.js';

describe('computeMetrics', () => {
  it('binary report from P(class 1)', () => {
    const r = computeMetrics('binary', [0, 0, 1, 1, 1, 0], new Float32Array([0.1, 0.6, 0.8, 0.4, 0.9, 0.3]), [
      'no',
      'yes',
    ]);
    expect(r.n).toBe(6);
    expect(Object.keys(r.metrics).sort()).toEqual(
      ['accuracy', 'auroc', 'ece', 'f1', 'logLoss', 'macroF1', 'precision', 'recall'].sort(),
    );
    expect(r.metrics['accuracy']).toBeCloseTo(4 / 6, 12);
    expect(r.metrics['f1']).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['macroF1']).toBe(r.metrics['f1']);
    expect(r.metrics['auroc']).toBeCloseTo(8 / 9, 12);
    expect(r.metrics['logLoss']).toBeCloseTo(0.437186832, 6); // float32 inputs
    expect(r.metrics['ece']).toBeCloseTo(1.9 / 6, 6);
    expect(r.confusionMatrix).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(r.perClass?.map((c) => c.label)).toEqual(['no', 'yes']);
    expect(r.classes).toEqual(['no', 'yes']);
    expect(r.reliability).toHaveLength(15);
  });

  it('multiclass report from n×k probabilities; labels default to indices', () => {
    const p = [0.7, 0.2, 0.1, 0.1, 0.5, 0.4, 0.2, 0.3, 0.5, 0.1, 0.6, 0.3, 0.3, 0.3, 0.4];
    const r = computeMetrics('multiclass', [0, 1, 2, 2, 1], p);
    expect(r.metrics['accuracy']).toBe(0.6);
    expect(r.metrics['precision']).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['recall']).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['auroc']).toBeCloseTo(0.75, 12);
    expect(r.metrics['logLoss']).toBeCloseTo(0.830182983, 8);
    expect(r.metrics['ece']).toBeCloseTo(0.46, 12);
    expect(r.classes).toEqual(['0', '1', '2']);
    expect(r.perClass?.[1]).toEqual({ label: '1', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it('leaves auroc out when the truth holds one class', () => {
    const r = computeMetrics('binary', [0, 0, 0], [0.1, 0.2, 0.3]);
    expect(r.metrics['auroc']).toBeUndefined();
    expect(r.metrics['accuracy']).toBe(1);
    expect(r.metrics['precision']).toBe(0.5); // class 1: never predicted → 0
  });

  it('regression report', () => {
    const r = computeMetrics('regression', [3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(r).toEqual({
      task: 'regression',
      n: 4,
      metrics: { mse: 0.375, rmse: Math.sqrt(0.375), mae: 0.5, r2: expect.closeTo(0.9486081370449679, 12) },
    });
  });

  it('refuses labels outside the classes', () => {
    expect(() => computeMetrics('binary', [0, 2], [0.1, 0.9])).toThrow(/class index/);
  });
});

describe('metricDirection', () => {
  it('knows which way is better', () => {
    for (const m of ['accuracy', 'precision', 'recall', 'f1', 'macroF1', 'auroc', 'r2', 'val_accuracy']) {
      expect(metricDirection(m)).toBe('higher');
    }
    for (const m of ['logLoss', 'ece', 'mse', 'rmse', 'mae', 'loss', 'val_loss', 'val_mae']) {
      expect(metricDirection(m)).toBe('lower');
    }
    expect(() => metricDirection('speed')).toThrow(/unknown metric/);
  });
});

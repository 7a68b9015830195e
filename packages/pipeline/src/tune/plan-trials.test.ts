import { describe, expect, it } from 'vitest';
import { AshaRungs } from './asha-rungs.js';
import { planTrials } from './plan-trials.js';

const SPACE = {
  'train.optimizer.learningRate': { logUniform: [0.001, 0.1] as [number, number] },
  'train.batchSize': { choice: [8, 16] },
  'model.layers[0].units': { int: [4, 6] as [number, number] },
};

describe('planTrials', () => {
  it('enumerates a grid, the last path varying fastest, cut at maxTrials', () => {
    const all = planTrials({ strategy: 'grid', space: SPACE, maxTrials: 100, seed: 0 });
    expect(all).toHaveLength(3 * 2 * 3);
    expect(all[0]).toEqual({
      'train.optimizer.learningRate': 0.001,
      'train.batchSize': 8,
      'model.layers[0].units': 4,
    });
    expect(all[1]).toMatchObject({ 'model.layers[0].units': 5 });
    expect(all[17]!['train.optimizer.learningRate']).toBeCloseTo(0.1, 12);
    expect(all[6]!['train.optimizer.learningRate']).toBeCloseTo(0.01, 12); // geometric middle
    expect(planTrials({ strategy: 'grid', space: SPACE, maxTrials: 5, seed: 0 })).toEqual(all.slice(0, 5));
  });

  it('draws the same random trials for the same seed and others for another, within the ranges', () => {
    const a = planTrials({ strategy: 'random', space: SPACE, maxTrials: 50, seed: 3 });
    expect(planTrials({ strategy: 'random', space: SPACE, maxTrials: 50, seed: 3 })).toEqual(a);
    expect(planTrials({ strategy: 'random', space: SPACE, maxTrials: 50, seed: 4 })).not.toEqual(a);
    for (const t of a) {
      expect(t['train.optimizer.learningRate']).toBeGreaterThanOrEqual(0.001);
      expect(t['train.optimizer.learningRate']).toBeLessThan(0.1);
      expect([8, 16]).toContain(t['train.batchSize']);
      expect([4, 5, 6]).toContain(t['model.layers[0].units']);
    }
    expect(new Set(a.map((t) => t['model.layers[0].units'])).size).toBe(3);
  });
});

describe('AshaRungs', () => {
  it('puts rungs at minEpochs·factor^k below the last epoch', () => {
    expect(new AshaRungs({ minEpochs: 5, factor: 3, maxEpochs: 150 }).rungs).toEqual([5, 15, 45, 135]);
  });

  it('keeps the best 1/factor at each rung and stops the rest', async () => {
    const a = new AshaRungs({ minEpochs: 2, factor: 2, maxEpochs: 16 });
    expect(await a.report(0, 1, 9)).toBe('continue'); // not a rung
    expect(await a.report(0, 2, 0.5)).toBe('continue'); // first arrival
    expect(await a.report(1, 2, 0.9)).toBe('stop'); // worse half of [0.5, 0.9]
    expect(await a.report(2, 2, 0.4)).toBe('continue'); // best of three
    expect(await a.report(3, 2, 0.45)).toBe('continue'); // best 2 of [0.5, 0.9, 0.4, 0.45]
    expect(await a.report(4, 2, Number.NaN)).toBe('stop'); // a diverged trial
    expect(await a.report(0, 4, 0.3)).toBe('continue'); // rungs are separate
  });

  it('counts a trial reporting a rung again (read back from its record) once', async () => {
    const a = new AshaRungs({ minEpochs: 2, factor: 3, maxEpochs: 16 });
    await a.report(0, 2, 0.5);
    await a.report(0, 2, 0.5);
    // two arrivals so far, fewer than the factor: it goes on (three would have stopped it)
    expect(await a.report(1, 2, 0.9)).toBe('continue');
  });
});

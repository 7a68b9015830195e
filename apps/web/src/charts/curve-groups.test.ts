import { describe, expect, it } from 'vitest';
import { curveGroups } from './curve-groups.js';

describe('curveGroups', () => {
  it('pairs each metric with its validation twin, loss first, in epoch order', () => {
    const g = curveGroups([
      { epoch: 2, metrics: { accuracy: 0.8, loss: 0.5, val_accuracy: 0.7, val_loss: 0.6 } },
      { epoch: 1, metrics: { accuracy: 0.5, loss: 1, val_accuracy: 0.4, val_loss: Number.NaN } },
    ]);
    expect(g).toEqual([
      { metric: 'loss', epochs: [1, 2], train: [1, 0.5], validation: [null, 0.6] },
      { metric: 'accuracy', epochs: [1, 2], train: [0.5, 0.8], validation: [0.4, 0.7] },
    ]);
  });

  it('leaves gaps for metrics only some epochs have and returns nothing without epochs', () => {
    expect(curveGroups([{ epoch: 1, metrics: { mae: 3 } }])).toEqual([
      { metric: 'mae', epochs: [1], train: [3], validation: [null] },
    ]);
    expect(curveGroups([])).toEqual([]);
  });
});

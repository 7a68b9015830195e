import { describe, expect, it } from 'vitest';
import type { PredictOutcome } from '../core/predict-types.js';
import { formatTfServingPredict } from './tf-serving-protocol.js';
import { tfServingRowJson } from './tf-serving-predict-json.js';

const base = { model: 'pen "guins"\n', version: 12, n: 3, predictionIds: ['a-1', 'a-2', 'a\\"3'] };

const outcomes: [string, PredictOutcome][] = [
  [
    'a classifier with string labels and float32 probabilities',
    {
      ...base,
      task: 'multiclass',
      classes: ['Adelie', 'Chin"strap', 'Gentoo'],
      labels: ['Gentoo', 'Adelie', 'Chin"strap'],
      probabilities: Float32Array.of(0.1, 0.2, 0.7, 0.9999999, 1e-8, 0, 1 / 3, 0.5, 1 / 6),
      values: null,
      warnings: [],
    },
  ],
  [
    'a 0/1 classifier with number labels and warnings',
    {
      ...base,
      task: 'binary',
      classes: [0, 1],
      labels: [1, 0, 1],
      probabilities: Float32Array.of(0.25, 0.75, 0.5, 0.5, 0.125, 0.875),
      values: null,
      warnings: [
        {
          instance: 1,
          field: 'Body Mass (g)',
          kind: 'out-of-range',
          message: '9000 is outside [2700, 6300]',
        },
      ],
    },
  ],
  [
    'a boolean classifier',
    {
      ...base,
      task: 'binary',
      classes: [false, true],
      labels: [true, true, false],
      probabilities: Float32Array.of(0, 1, 0.25, 0.75, 1, 0),
      values: null,
      warnings: [],
    },
  ],
  [
    'a regression with a non-finite value',
    {
      ...base,
      task: 'regression',
      classes: null,
      labels: null,
      probabilities: null,
      values: [3.5, -0, Number.NaN],
      warnings: [],
    },
  ],
];

describe('tfServingRowJson', () => {
  it.each(outcomes)('writes what JSON.stringify makes of the row answer: %s', (_what, out) => {
    const text = tfServingRowJson(out);
    expect(text).toBe(JSON.stringify(formatTfServingPredict(out, 'row')));
  });
});

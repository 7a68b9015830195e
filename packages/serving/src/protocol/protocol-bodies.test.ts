import { describe, expect, it } from 'vitest';
import type { PredictOutcome } from '../core/predict-types.js';
import { formatKserveInfer, parseKserveBody } from './kserve-v2-protocol.js';
import { formatTfServingPredict, parseTfServingBody } from './tf-serving-protocol.js';

describe('parseTfServingBody', () => {
  it('reads row and columnar formats', () => {
    expect(parseTfServingBody({ instances: [{ a: 1 }, [1, 2]] })).toEqual({
      instances: [{ a: 1 }, [1, 2]],
      format: 'row',
    });
    expect(parseTfServingBody({ inputs: { a: [1, 2], b: ['x', 'y'] } })).toEqual({
      instances: [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ],
      format: 'columnar',
    });
    expect(parseTfServingBody({ inputs: [[1, 2]] })).toEqual({ instances: [[1, 2]], format: 'columnar' });
  });

  it.each([
    [[], /JSON object/],
    [{}, /needs "instances"/],
    [{ instances: 1 }, /must be a list/],
    [{ instances: [], inputs: [] }, /not both/],
    [{ inputs: { a: [1], b: [1, 2] } }, /"b" has 2 values, the others 1/],
    [{ inputs: { a: 1 } }, /inputs "a" must be a list/],
  ])('refuses %j', (body, message) => {
    expect(() => parseTfServingBody(body)).toThrow(message);
  });
});

describe('parseKserveBody', () => {
  it('reads one encoded "input" tensor of any rank into rows', () => {
    const data = Array.from({ length: 128 }, (_, i) => i);
    const out = parseKserveBody(
      { inputs: [{ name: 'input', shape: [2, 8, 8, 1], datatype: 'FP32', data }] },
      ['p0'],
    );
    expect(out.instances).toHaveLength(2);
    expect((out.instances[1] as number[])[0]).toBe(64);
  });

  it('reads feature tensors into records, [n] or [n, 1], nested data allowed', () => {
    const out = parseKserveBody(
      {
        id: 'r',
        inputs: [
          { name: 'a', shape: [2, 1], datatype: 'FP64', data: [[1], [2]] },
          { name: 'b', shape: [2], datatype: 'BYTES', data: ['x', 'y'] },
          { name: 'c', shape: [2], datatype: 'BOOL', data: [true, null] },
        ],
      },
      ['a', 'b', 'c'],
    );
    expect(out).toEqual({
      id: 'r',
      instances: [
        { a: 1, b: 'x', c: true },
        { a: 2, b: 'y', c: null },
      ],
    });
  });

  it.each([
    [{ inputs: [{ name: 'a', shape: [3], datatype: 'FP32', data: [1, 2] }] }, /needs 3 values, data has 2/],
    [{ inputs: [{ name: 'a', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] }, /shape \[n\] or \[n, 1\]/],
    [
      {
        inputs: [
          { name: 'a', shape: [1], datatype: 'FP32', data: [1] },
          { name: 'a', shape: [1], datatype: 'FP32', data: [1] },
        ],
      },
      /given twice/,
    ],
    [
      {
        inputs: [
          { name: 'a', shape: [1], datatype: 'FP32', data: [1] },
          { name: 'b', shape: [2], datatype: 'BYTES', data: ['x', 'y'] },
        ],
      },
      /has 2 rows, the others 1/,
    ],
    [{ inputs: [{ name: 'input', shape: [1, 2], datatype: 'BYTES', data: ['x', 'y'] }] }, /numeric datatype/],
    [{ inputs: [{ name: 'a', shape: [-1], datatype: 'FP32', data: [] }] }, /non-negative integers/],
  ])('refuses %j', (body, message) => {
    expect(() => parseKserveBody(body, ['a', 'b'])).toThrow(message);
  });
});

describe('response shapes', () => {
  const classifier: PredictOutcome = {
    model: 'm',
    version: 2,
    task: 'binary',
    classes: ['no', 'yes'],
    predictions: [
      { predictionId: 'p1', label: 'yes', probabilities: { no: 0.25, yes: 0.75 }, scores: [0.25, 0.75] },
    ],
    warnings: [],
  };
  const regression: PredictOutcome = {
    model: 'r',
    version: 1,
    task: 'regression',
    classes: null,
    predictions: [{ predictionId: 'p2', value: 3.5 }],
    warnings: [],
  };

  it('TF Serving: predictions (row) or outputs (columnar), with the version', () => {
    expect(formatTfServingPredict(classifier, 'row')).toEqual({
      model_name: 'm',
      model_version: '2',
      classes: ['no', 'yes'],
      predictions: [
        { label: 'yes', probabilities: { no: 0.25, yes: 0.75 }, scores: [0.25, 0.75], predictionId: 'p1' },
      ],
    });
    expect(formatTfServingPredict(regression, 'columnar')).toEqual({
      model_name: 'r',
      model_version: '1',
      outputs: { value: [3.5], predictionId: ['p2'] },
    });
  });

  it('KServe V2: label, probabilities [n, k] and prediction ids; value for regression', () => {
    const out = formatKserveInfer(classifier, 'x') as {
      outputs: { name: string; shape: number[] }[];
      id: string;
    };
    expect(out.id).toBe('x');
    expect(out.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['label', [1]],
      ['probabilities', [1, 2]],
      ['prediction_id', [1]],
    ]);
    expect(
      (formatKserveInfer(regression, undefined) as { outputs: { name: string }[] }).outputs.map(
        (o) => o.name,
      ),
    ).toEqual(['value', 'prediction_id']);
  });
});

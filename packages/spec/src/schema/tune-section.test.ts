import { describe, expect, it } from 'vitest';
import { parseSpec } from '../parse-spec.js';
import { MINIMAL, errorsOf } from '../test-helpers.js';
import { parseTunePath, valueAtTunePath, withTunedValue } from '../tune/tune-path.js';

const TUNE = `tune:
  strategy: asha
  objective: { metric: accuracy }
  maxTrials: 8
  parallelism: 2
  space:
    train.optimizer.learningRate: { logUniform: [0.001, 0.1] }
    train.batchSize: { choice: [8, 16] }
    model.layers[0].units: { int: [2, 16] }
`;

describe('tune section', () => {
  it('parses a search space with defaults', () => {
    const { spec } = parseSpec(MINIMAL + TUNE, 'pipeline.yaml');
    expect(spec.tune).toMatchObject({
      strategy: 'asha',
      maxTrials: 8,
      parallelism: 2,
      seed: 0,
      asha: { minEpochs: 5, reductionFactor: 3 },
      space: { 'train.batchSize': { choice: [8, 16] } },
    });
  });

  it('points at a field that does not exist, with file and line', () => {
    const text = MINIMAL + TUNE.replace('train.batchSize', 'train.batchSizes');
    const [e, ...rest] = errorsOf(text);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'MYELIN_ERR_SPEC_INVALID', line: 16, path: 'tune.space["train.batchSizes"]' });
    expect(e?.message).toMatch(/^pipeline\.yaml:16:\d+ .*train\.batchSizes does not exist/);
  });

  it('refuses a dimension of the wrong type for its field', () => {
    const text = MINIMAL + TUNE.replace('{ choice: [8, 16] }', '{ choice: [8, "big"] }').replace(
      'train.optimizer.learningRate: { logUniform: [0.001, 0.1] }',
      'train.optimizer.name: { uniform: [0, 1] }',
    );
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.line, e.detail])).toEqual([
      [15, expect.stringMatching(/train\.optimizer\.name holds "adam", not a number/)],
      [16, expect.stringMatching(/a choice of "big" has the wrong type/)],
    ]);
  });

  it('refuses an empty dimension, a bad range and a path outside train and model', () => {
    const text = `${MINIMAL}tune:\n  space:\n    data.target: { choice: [a] }\n    train.epochs: { int: [5, 2] }\n    train.seed: {}\n`;
    const details = errorsOf(text).map((e) => `${e.line} ${e.detail}`);
    expect(details).toEqual([
      expect.stringMatching(/^11 "data\.target" is not a field path of train or model/),
      expect.stringMatching(/^12 expected low < high, got \[5, 2\]/),
      expect.stringMatching(/^13 a search dimension needs one of logUniform, uniform, int, choice/),
    ]);
  });
});

describe('tune paths', () => {
  it('reads, looks through layer types and writes copies', () => {
    const spec = { model: { layers: [{ dense: { units: 4 } }] }, train: { optimizer: { learningRate: 0.1 } } };
    const path = parseTunePath('model.layers[0].units')!;
    expect(path).toEqual(['model', 'layers', 0, 'units']);
    expect(valueAtTunePath(spec, path)).toBe(4);
    const tuned = withTunedValue(spec, path, 8);
    expect(tuned.model.layers[0]).toEqual({ dense: { units: 8 } });
    expect(spec.model.layers[0]).toEqual({ dense: { units: 4 } });
    expect(parseTunePath('data.source')).toBeNull();
    expect(parseTunePath('train..x')).toBeNull();
  });
});

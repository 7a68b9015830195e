import { describe, expect, it } from 'vitest';
import type { PredictOutcome } from '../core/predict-types.js';
import { decodeBinaryTensor } from './binary-tensor.js';
import { formatKserveInfer, parseKserveBody } from './kserve-v2-protocol.js';
import {
  formatTfServingPredict,
  formatTfServingResults,
  parseTfServingBody,
  parseTfServingExamples,
} from './tf-serving-protocol.js';

describe('parseTfServingBody (api_rest.md, Predict API request format)', () => {
  it('keeps row instances as rows and columnar inputs as columns (no record per row)', () => {
    const rows = parseTfServingBody({ instances: [{ a: 1 }, [1, 2]] });
    expect(rows.format).toBe('row');
    expect(rows.batch).toMatchObject({ kind: 'rows', rows: [{ a: 1 }, [1, 2]] });
    const cols = parseTfServingBody({
      signature_name: 'serving_default',
      inputs: { a: [1, 2], b: ['x', 'y'] },
    });
    expect(cols).toMatchObject({
      format: 'columnar',
      signature: 'serving_default',
      batch: {
        kind: 'columns',
        n: 2,
        columns: { a: [1, 2], b: ['x', 'y'] },
        width: { a: 1, b: 1 },
        strictNames: false,
      },
    });
    expect(parseTfServingBody({ inputs: [[1, 2]] }).batch).toMatchObject({ kind: 'rows', rows: [[1, 2]] });
    // a tensor input in columnar form: each instance's nested list, flattened row-major
    expect(
      parseTfServingBody({
        inputs: {
          input: [
            [[1], [2]],
            [[3], [4]],
          ],
        },
      }).batch,
    ).toMatchObject({
      kind: 'columns',
      n: 2,
      columns: { input: [1, 2, 3, 4] },
      width: { input: 2 },
    });
    expect(() => parseTfServingBody({ inputs: { input: [[1, 2], [3]] } })).toThrow(
      /"input"\[1\] has 1 values, the first 2/,
    );
  });

  it.each([
    [[], /JSON object/],
    [{}, /needs "instances"/],
    [{ instances: 1 }, /must be a list/],
    [{ instances: [], inputs: [] }, /not both/],
    [{ inputs: { a: [1], b: [1, 2] } }, /"b" has 2 values, the others 1/],
    [{ inputs: { a: 1 } }, /inputs "a" must be a list/],
    [{ signature_name: 100, instances: [] }, /'signature_name' key must be a string value\./],
  ])('refuses %j', (body, message) => {
    expect(() => parseTfServingBody(body)).toThrow(message);
  });
});

describe('parseTfServingExamples (api_rest.md, Classify and Regress API request format)', () => {
  it('merges the context into every example and unwraps one-value lists', () => {
    const r = parseTfServingExamples({
      signature_name: 'classification',
      context: { Island: 'Dream' },
      examples: [{ 'Body Mass (g)': [3800] }, { 'Body Mass (g)': 5000, Sex: ['MALE'] }],
    });
    expect(r.signature).toBe('classification');
    expect(r.format).toBe('results');
    expect(r.batch).toMatchObject({
      kind: 'rows',
      rows: [
        { Island: 'Dream', 'Body Mass (g)': 3800 },
        { Island: 'Dream', 'Body Mass (g)': 5000, Sex: 'MALE' },
      ],
    });
  });

  it.each([
    [{ examples: 'x' }, /"examples" must be a list/],
    [{ examples: [1] }, /examples\[0\] must be an object/],
    [{ context: [], examples: [] }, /"context" must be an object/],
    [{ context: { a: 1 }, examples: [{ a: 2 }] }, /examples\[0\], feature "a": "a" is in "context" too/],
    [{ examples: [{ a: [1, 2] }] }, /takes one value, got a list of 2/],
  ])('refuses %j', (body, message) => {
    expect(() => parseTfServingExamples(body)).toThrow(message);
  });
});

describe('parseKserveBody (inference_rest.md, $inference_request)', () => {
  it('reads one encoded "input" tensor of any rank as one column of n × width values', () => {
    const data = Array.from({ length: 128 }, (_, i) => i);
    const out = parseKserveBody({ inputs: [{ name: 'input', shape: [2, 8, 8, 1], datatype: 'FP32', data }] });
    expect(out.batch).toMatchObject({
      kind: 'columns',
      n: 2,
      width: { input: 64 },
      datatype: { input: 'FP32' },
    });
  });

  it('reads feature tensors as columns, [n] or [n, 1], nested data flattened; id, outputs and extra keys', () => {
    const out = parseKserveBody({
      id: 'r',
      model_name: 'penguins',
      parameters: { binary_data_output: true },
      outputs: [{ name: 'label', parameters: { binary_data: false } }],
      inputs: [
        { name: 'a', shape: [2, 1], datatype: 'FP64', data: [[1], [2]] },
        { name: 'b', shape: [2], datatype: 'BYTES', data: ['x', 'y'] },
        { name: 'c', shape: [2], datatype: 'BOOL', data: [true, null] },
      ],
    });
    expect(out.id).toBe('r');
    expect(out.outputs).toEqual(['label']);
    expect(out.batch).toMatchObject({
      kind: 'columns',
      n: 2,
      columns: { a: [1, 2], b: ['x', 'y'], c: [true, null] },
      width: { a: 1, b: 1, c: 1 },
      strictNames: true,
    });
    if (out.batch.kind === 'columns') expect(out.batch.where(1, 'b')).toBe('inputs[1] ("b"), instance 1');
  });

  it("reads the binary tensor data extension (each input's binary_data_size bytes after the JSON)", () => {
    const fp32 = Buffer.from(Float32Array.of(1.5, -2).buffer);
    const words = ['Dream', 'Biscoe'].map((w) => {
      const b = Buffer.alloc(4 + w.length);
      b.writeUInt32LE(w.length, 0);
      b.write(w, 4);
      return b;
    });
    const bytes = Buffer.concat(words);
    const binary = Buffer.concat([fp32, bytes]);
    const out = parseKserveBody(
      {
        inputs: [
          { name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } },
          { name: 'b', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: bytes.length } },
        ],
      },
      binary,
    );
    expect(out.batch.kind === 'columns' && Array.from(out.batch.columns.a as Float32Array)).toEqual([
      1.5, -2,
    ]);
    expect(out.batch.kind === 'columns' && out.batch.columns.b).toEqual(['Dream', 'Biscoe']);
    expect(() =>
      parseKserveBody({
        inputs: [{ name: 'a', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }],
      }),
    ).toThrow(/without binary data/);
    expect(() => decodeBinaryTensor('FP32', new Uint8Array(6), 2, 'x')).toThrow(/binary_data_size is 6/);
    expect(
      Array.from(
        decodeBinaryTensor('INT64', new Uint8Array(Buffer.from(BigInt64Array.of(7n).buffer)), 1, 'x'),
      ),
    ).toEqual([7]);
    expect(decodeBinaryTensor('BOOL', Uint8Array.of(1, 0), 2, 'x')).toEqual([true, false]);
  });

  it.each([
    [{ inputs: [{ name: 'a', shape: [3], datatype: 'FP32', data: [1, 2] }] }, /needs 3 values, data has 2/],
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
    [{ inputs: [{ name: 'a', shape: [-1], datatype: 'FP32', data: [] }] }, /non-negative integers/],
    [{ inputs: [{ name: 'a', shape: [1], datatype: 'STRING', data: ['x'] }] }, /datatype must be one of/],
    [{ inputs: [] }, /non-empty list/],
    [{ id: 3, inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [1] }] }, /"id" must be a string/],
    [
      { outputs: [{}], inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [1] }] },
      /outputs\[0\] must be an object with a "name"/,
    ],
  ])('refuses %j', (body, message) => {
    expect(() => parseKserveBody(body)).toThrow(message);
  });
});

describe('response shapes', () => {
  const classifier: PredictOutcome = {
    model: 'm',
    version: 2,
    task: 'binary',
    classes: ['no', 'yes'],
    n: 1,
    predictionIds: ['p1'],
    labels: ['yes'],
    probabilities: Float32Array.of(0.25, 0.75),
    values: null,
    warnings: [],
  };
  const regression: PredictOutcome = {
    model: 'r',
    version: 1,
    task: 'regression',
    classes: null,
    n: 1,
    predictionIds: ['p2'],
    labels: null,
    probabilities: null,
    values: [3.5],
    warnings: [],
  };

  it('TF Serving predict: one object of named tensors per instance (row), one tensor per name (columnar)', () => {
    expect(formatTfServingPredict(classifier, 'row')).toEqual({
      model_name: 'm',
      model_version: '2',
      classes: ['no', 'yes'],
      predictions: [{ label: 'yes', probabilities: [0.25, 0.75], prediction_id: 'p1' }],
    });
    expect(formatTfServingPredict(classifier, 'columnar')).toMatchObject({
      outputs: { label: ['yes'], probabilities: [[0.25, 0.75]], prediction_id: ['p1'] },
    });
    expect(formatTfServingPredict(regression, 'columnar')).toEqual({
      model_name: 'r',
      model_version: '1',
      outputs: { value: [3.5], prediction_id: ['p2'] },
    });
  });

  it('TF Serving classify / regress: results as [[label, score], …] per example, or one value per example', () => {
    expect(formatTfServingResults(classifier).results).toEqual([
      [
        ['no', 0.25],
        ['yes', 0.75],
      ],
    ]);
    expect(formatTfServingResults(regression)).toMatchObject({ results: [3.5], prediction_ids: ['p2'] });
  });

  it('KServe V2: label, probabilities [n, k] and prediction ids; value for regression; only the outputs asked for', () => {
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
    const some = formatKserveInfer(classifier, undefined, ['prediction_id', 'label']) as {
      outputs: { name: string }[];
    };
    expect(some.outputs.map((o) => o.name)).toEqual(['prediction_id', 'label']);
    expect(
      (formatKserveInfer(regression, undefined) as { outputs: { name: string }[] }).outputs.map(
        (o) => o.name,
      ),
    ).toEqual(['value', 'prediction_id']);
  });
});

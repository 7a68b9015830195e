import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vectorFromValues } from '../io/vector-from-values.js';
import type { Cell, DataSchema, Row } from '../types.js';
import { FeatureBlockWriter, featureBlocks } from './feature-block-writer.js';
import { fitPreprocessorColumns } from './fit-preprocessor-columns.js';
import type { PreprocessConfig } from './preprocess-config.js';
import { transformBatch } from './transform-batch.js';

const schema: DataSchema = {
  version: 1,
  columns: [
    { name: 'n', type: 'number', nullable: true },
    { name: 'c', type: 'category', nullable: true, values: ['a', 'z'] },
    { name: 'b', type: 'boolean', nullable: true },
    { name: 'm', type: 'number', nullable: true },
  ],
};
const features = ['n', 'c', 'b', 'm'];
const rowArb = fc.record({
  n: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(null, '', '2.5')),
  c: fc.constantFrom('a', 'b', 'c', '', null, 1),
  b: fc.constantFrom(true, false, null, 'TRUE', 0, 1),
  m: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null)),
}) as fc.Arbitrary<Row>;
const column = (rows: readonly Row[]) => (name: string) => vectorFromValues(rows.map((r) => r[name] ?? null) as Cell[]);

describe('featureBlocks', () => {
  it('groups consecutive features up to a width, a wider one alone', () => {
    expect(featureBlocks([1, 1, 3, 1, 5, 1], 4)).toEqual([[0, 1], [2, 3], [4], [5]]);
    expect(featureBlocks([1, 1, 1], 1)).toEqual([[0], [1], [2]]);
  });
});

describe('FeatureBlockWriter', () => {
  it('writes, feature by feature as they are fitted, the matrices transformBatch gives, for any block width', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 20 }),
        fc.array(rowArb, { maxLength: 8 }),
        fc.constantFrom<PreprocessConfig['encode']>('onehot', 'index'),
        fc.integer({ min: 1, max: 6 }),
        (train, other, encode, blockWidth) => {
          const config: PreprocessConfig = { impute: { numeric: 'mean', category: 'mostFrequent' }, scale: 'standard', encode, unseen: 'ignore' };
          const opts = { features, schema, config };
          const all = [...train, ...other];
          // the widths, as the preprocess step learns them: from a fit of the category columns
          const fitted = fitPreprocessorColumns(column(train), { ...opts, features: ['c'] }).features[0];
          const spans = features.map((f) => (f === 'c' && fitted?.kind === 'category' ? fitted.width : 1));
          const width = spans.reduce((a, b) => a + b, 0);
          const parts = [all.map((_, k) => k), all.map((_, k) => all.length - 1 - k).filter((k) => k % 2 === 0)];
          const matrices = parts.map((rows) => ({ rows, out: new Float32Array(rows.length * width).fill(NaN) }));
          const writer = new FeatureBlockWriter(config, width, spans, matrices, blockWidth);
          const fp = fitPreprocessorColumns(column(train), opts, (f) => writer.write(f, column(all)(f.name)));
          expect(fp.width).toBe(width);
          parts.forEach((rows, p) =>
            expect(matrices[p]?.out).toEqual(transformBatch(fp, rows.map((k) => all[k] as Row)).data),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vectorFromValues } from '../io/vector-from-values.js';
import type { Cell, DataSchema, Row } from '../types.js';
import { fitPreprocessorColumns } from './fit-preprocessor-columns.js';
import { fitPreprocessor } from './fit-preprocessor.js';
import type { PreprocessConfig } from './preprocess-config.js';
import { transformBatch } from './transform-batch.js';
import { writeColumnFeature } from './write-column-features.js';

const schema: DataSchema = {
  version: 1,
  columns: [
    { name: 'n', type: 'number', nullable: true },
    { name: 'i', type: 'integer', nullable: true },
    { name: 'c', type: 'category', nullable: true, values: ['a', 'z'] },
    { name: 'b', type: 'boolean', nullable: true },
    { name: 'd', type: 'datetime', nullable: true },
  ],
};
const features = ['n', 'i', 'c', 'b', 'd'];
const cell = {
  n: fc.oneof(fc.double({ min: -1e100, max: 1e100, noNaN: true }), fc.constant(NaN), fc.constantFrom(null, '', '2.5', ' 7 '), fc.constantFrom('abc', Infinity, true)),
  i: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null)),
  c: fc.oneof(fc.constantFrom('a', 'b', 'c', '', null, 1, true)),
  b: fc.constantFrom(true, false, null, 'TRUE', 0, 1, '', true, false, 'yes'),
  d: fc.oneof(fc.constantFrom('2024-01-02', '2024-03-04T05:06:07Z', null, ''), fc.integer({ min: 0, max: 1e12 })),
};
const rowArb = fc.record(cell) as fc.Arbitrary<Row>;
const configArb = fc.record({
  impute: fc.record({
    numeric: fc.constantFrom('mean', 'median', 'constant'),
    category: fc.constantFrom('mostFrequent', 'constant'),
    numericConstant: fc.constant(-1),
    categoryConstant: fc.constant('zz'),
  }),
  scale: fc.constantFrom('standard', 'minmax', 'none'),
  encode: fc.constantFrom('onehot', 'index'),
  unseen: fc.constantFrom('ignore', 'mostFrequent'),
}) as fc.Arbitrary<PreprocessConfig>;

/** Equal, numbers within 1e-12 relative (the columnar fit sums in another order). */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

const column = (rows: readonly Row[]) => (name: string) => vectorFromValues(rows.map((r) => r[name] ?? null) as Cell[]);

describe('columnar fit and transform', () => {
  it('fit the same preprocessor (statistics to 1e-12) and write the same matrix as the record path', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), fc.array(rowArb, { maxLength: 10 }), configArb, (train, other, config) => {
        const opts = { features, schema, config };
        const outcome = (f: () => unknown) => {
          try {
            return { value: f() };
          } catch (e) {
            return { error: (e as { code?: string }).code };
          }
        };
        const expected = outcome(() => fitPreprocessor(train, opts));
        const got = outcome(() => fitPreprocessorColumns(column(train), opts));
        expect(close(got, expected), JSON.stringify({ got, expected })).toBe(true);
        // the training rows given as rows of a larger column: the same fit, exactly
        const around = [...other, ...train];
        const trainRows = train.map((_, k) => other.length + k);
        expect(outcome(() => fitPreprocessorColumns((name) => ({ vector: column(around)(name), rows: trainRows }), opts))).toEqual(got);
        if (!('value' in got)) return;
        const fp = got.value as ReturnType<typeof fitPreprocessor>;
        const all = [...train, ...other];
        const matrix = (rows?: number[]) => {
          const out = new Float32Array((rows ?? all).length * fp.width);
          for (const f of fp.features) writeColumnFeature(fp, f, column(all)(f.name), out, rows ? { rows } : {});
          return out;
        };
        expect(outcome(() => matrix())).toEqual(outcome(() => transformBatch(fp, all).data));
        // a subset of rows, in another order
        const pick = all.map((_, k) => all.length - 1 - k).filter((k) => k % 2 === 0);
        expect(outcome(() => matrix(pick))).toEqual(outcome(() => transformBatch(fp, pick.map((k) => all[k] as Row)).data));
      }),
      { numRuns: 300 },
    );
  });

  it('throw the record path errors for values of the wrong kind, naming column and record', () => {
    const config: PreprocessConfig = { impute: { numeric: 'mean', category: 'mostFrequent' }, scale: 'none', encode: 'onehot', unseen: 'error' };
    const rows: Row[] = [{ n: 1 }, { n: 'x' }];
    const opts = { features: ['n'], schema, config };
    expect(() => fitPreprocessor(rows, opts)).toThrow();
    expect(() => fitPreprocessorColumns(column(rows), opts)).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_TRANSFORM', message: expect.stringMatching(/column "n".*expected a number, got "x" \(record 1\)/) }),
    );
    const fp = fitPreprocessor([{ c: 'a' }], { features: ['c'], schema, config });
    const out = new Float32Array(3 * fp.width);
    expect(() => writeColumnFeature(fp, fp.features[0]!, column([{ c: 'a' }, { c: 'a' }, { c: 'q' }])('c'), out)).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_TRANSFORM', location: expect.objectContaining({ row: 3, dataColumn: 'c' }) }),
    );
  });
});

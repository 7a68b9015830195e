import { describe, expect, it } from 'vitest';
import type { Cell, Row, Task } from '../types.js';
import { rowsToBatches } from '../io/rows-to-batches.js';
import type { ColumnVector } from '../io/column-vector.js';
import {
  cellsAt,
  checkTargetOnRows,
  distinctCellIds,
  encodeTargetOnRows,
  fitTargetEncoderOnRows,
  targetWidth,
} from './target-columns.js';
import { splitIndices } from '../split/split-indices.js';
import { encodeTarget, fitTargetEncoder } from './target-encoder.js';

/** One column of `cells` as a vector, as a table read gives it. */
async function vectorOf(cells: Cell[]): Promise<ColumnVector> {
  const rows: Row[] = cells.map((y) => ({ y }));
  for await (const b of rowsToBatches(rows, rows.length)) return b.columns[0] as ColumnVector;
  throw new Error('no batch');
}

const rows = [5, 0, 3, 3, 1, 4, 2];

describe('fitTargetEncoderOnRows / encodeTargetOnRows', () => {
  const cases: [string, Cell[], Task][] = [
    ['string multiclass', ['b', 'a', 'c', 'a', 'b', 'c'], 'multiclass'],
    ['number multiclass', [3, 1, 2, 10, 1, 2], 'multiclass'],
    ['boolean binary', [true, false, true, true, false, false], 'binary'],
    ['string binary', ['no', 'yes', 'no', 'yes', 'yes', 'no'], 'binary'],
    ['regression', [1.5, 2, -3, 4, 0.25, 8], 'regression'],
  ];
  it.each(cases)('give what the cell functions give (%s)', async (_name, labels, task) => {
    const v = await vectorOf(labels);
    const train = rows.slice(0, 5).filter((r) => r < labels.length);
    const te = fitTargetEncoderOnRows(v, train, task);
    expect(te).toEqual(fitTargetEncoder(cellsAt(v, train), task));
    const part = [0, 1, 2, 3, 4, 5];
    const expected = encodeTarget(te, cellsAt(v, part));
    expect(targetWidth(te)).toBe(expected.cols);
    const out = new Float32Array(part.length * targetWidth(te));
    encodeTargetOnRows(te, v, part, out);
    expect(out).toEqual(expected.data);
    expect(() => checkTargetOnRows(te, v, part)).not.toThrow();
  });

  it('fail as the cell functions fail: an unknown class, a missing label', async () => {
    const v = await vectorOf(['a', 'b', 'a', 'z', null]);
    const te = fitTargetEncoderOnRows(v, [0, 1, 2], 'multiclass');
    expect(() => encodeTargetOnRows(te, v, [0, 3], new Float32Array(4))).toThrow(
      /unknown target class "z" \(record 1/,
    );
    expect(() => checkTargetOnRows(te, v, [0, 3])).toThrow(/unknown target class "z" \(record 1/);
    expect(() => fitTargetEncoderOnRows(v, [0, 1, 4], 'multiclass')).toThrow(
      /the target is missing \(record 2\)/,
    );
  });
});

describe('distinctCellIds', () => {
  const labels: Cell[] = ['b', 1, 'a', null, 'b', '1', true, 1, null, 'a', 'b', true, 'c', 'a', 'b', 1];
  it('numbers the classes in order of first appearance, strict equality, null a class of its own', async () => {
    const v = await vectorOf(labels);
    const all = labels.map((_, i) => i);
    expect([...distinctCellIds(v, all)]).toEqual([0, 1, 2, 3, 0, 4, 5, 1, 3, 2, 0, 5, 6, 2, 0, 1]);
    expect([...distinctCellIds(v, [12, 0, 4, 2])]).toEqual([0, 1, 1, 2]);
  });
  it('gives splitIndices the split its labels give', async () => {
    const many: Cell[] = Array.from({ length: 500 }, (_, i) => labels[(i * 7) % labels.length] ?? null);
    const v = await vectorOf(many);
    const rows = many.map((_, i) => i).filter((i) => i % 3 !== 1);
    const opts = { train: 0.6, validation: 0.2, test: 0.2, seed: 7, stratify: true };
    const byLabels = splitIndices({ n: rows.length, labels: cellsAt(v, rows) }, opts);
    expect(splitIndices({ n: rows.length, groups: distinctCellIds(v, rows) }, opts)).toEqual(byLabels);
  });
  it('groups numbered out of order are refused', () => {
    const opts = { train: 0.6, validation: 0.2, test: 0.2, seed: 7, stratify: true };
    expect(() => splitIndices({ n: 3, groups: Int32Array.of(0, 2, 1) }, opts)).toThrow(/group 2 of row 1/);
  });
});

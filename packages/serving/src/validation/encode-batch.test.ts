import {
  fitPreprocessor,
  transformRecord,
  type DataSchema,
  type PreprocessConfig,
  type Row,
} from '@myelin/data';
import { describe, expect, it } from 'vitest';
import type { InstanceBatch } from '../core/predict-types.js';
import { encodeBatch } from './encode-batch.js';

const schema: DataSchema = {
  version: 1,
  columns: [
    { name: 'island', type: 'category', nullable: false, values: ['Biscoe', 'Dream'] },
    { name: 'mass', type: 'number', nullable: true, min: 2000, max: 7000 },
    { name: 'count', type: 'integer', nullable: true },
    { name: 'tagged', type: 'boolean', nullable: true },
  ],
};
const rows: Row[] = [
  { island: 'Biscoe', mass: 3000, count: 1, tagged: true },
  { island: 'Dream', mass: 5000, count: 3, tagged: false },
  { island: 'Dream', mass: null, count: 2, tagged: null },
];
const config = (unseen: PreprocessConfig['unseen']): PreprocessConfig => ({
  impute: { numeric: 'median', category: 'mostFrequent' },
  scale: 'standard',
  encode: 'onehot',
  unseen,
});
const features = ['island', 'mass', 'count', 'tagged'];
const lenient = {
  preprocessor: fitPreprocessor(rows, { features, schema, config: config('ignore') }),
  schema,
};
const strict = { preprocessor: fitPreprocessor(rows, { features, schema, config: config('error') }), schema };
const fp = lenient.preprocessor;
const where = (i: number, f: string | null) => `instance ${i}${f === null ? '' : `, field "${f}"`}`;
const asRows = (instances: unknown[]): InstanceBatch => ({ kind: 'rows', rows: instances, where });
const asColumns = (columns: Record<string, unknown[]>, n: number, strictNames = true): InstanceBatch => ({
  kind: 'columns',
  n,
  columns,
  width: Object.fromEntries(Object.keys(columns).map((k) => [k, 1])),
  strictNames,
  where,
});

describe('encodeBatch', () => {
  it('encodes raw records exactly as training does (one transform code path)', () => {
    const rec = { island: 'Dream', mass: 4200, count: '2', tagged: 'true', extra: 'ignored' };
    const out = encodeBatch(asRows([rec]), lenient);
    expect(Array.from(out.x)).toEqual(Array.from(transformRecord(fp, rec)));
    expect(out.warnings).toEqual([]);
  });

  it('encodes columns to the same matrix as the same records, without a record per row', () => {
    const records = [
      { island: 'Dream', mass: 4200, count: 2.5, tagged: true },
      { island: 'Biscoe', mass: null, count: 1, tagged: false },
    ];
    const byRows = encodeBatch(asRows(records), lenient).x;
    const columns = Object.fromEntries(features.map((f) => [f, records.map((r) => r[f as keyof typeof r])]));
    expect(Array.from(encodeBatch(asColumns(columns, 2), lenient).x)).toEqual(Array.from(byRows));
  });

  it('takes a fractional number for an integer column (the metadata says DT_FLOAT / FP32)', () => {
    expect(() => encodeBatch(asRows([{ island: 'Dream', count: 1.5 }]), lenient)).not.toThrow();
  });

  it('accepts encoded rows, flat or nested, next to raw records', () => {
    const encoded = Array.from(transformRecord(fp, { island: 'Biscoe', mass: 3000 }));
    const out = encodeBatch(
      asRows([encoded, { island: 'Biscoe', mass: 3000 }, [encoded.slice(0, 2), encoded.slice(2)]]),
      lenient,
    );
    expect(out.n).toBe(3);
    expect(Array.from(out.x.subarray(0, fp.width))).toEqual(
      Array.from(out.x.subarray(fp.width, 2 * fp.width)),
    );
    expect(Array.from(out.x.subarray(2 * fp.width))).toEqual(Array.from(out.x.subarray(0, fp.width)));
    const tensor: InstanceBatch = {
      kind: 'columns',
      n: 2,
      columns: { input: [...encoded, ...encoded] },
      width: { input: fp.width },
      datatype: { input: 'FP32' },
      strictNames: true,
      where,
    };
    expect(Array.from(encodeBatch(tensor, lenient).x.subarray(fp.width))).toEqual(encoded.map(Math.fround));
  });

  it('flags (never refuses) numbers outside the training range', () => {
    const out = encodeBatch(asRows([{ island: 'Dream' }, { island: 'Dream', mass: 9000 }]), lenient);
    expect(out.warnings).toEqual([
      {
        instance: 1,
        field: 'mass',
        kind: 'out-of-range',
        message: '9000 is outside the training range [2000, 7000]',
      },
    ]);
  });

  it('applies the unseen-category policy: warn and encode, or refuse with 400', () => {
    const ok = encodeBatch(asRows([{ island: 'Mars' }]), lenient);
    expect(ok.warnings[0]).toMatchObject({ instance: 0, field: 'island', kind: 'unseen-category' });
    expect(() => encodeBatch(asRows([{ island: 'Dream' }, { island: 'Mars' }]), strict)).toThrow(
      /^instance 1, field "island": unseen category "Mars" \(known: Biscoe, Dream\)$/,
    );
  });

  it.each([
    [asRows([{ mass: 3000 }]), /instance 0, field "island": is required/],
    [
      asRows([{ island: 'Dream' }, { island: 'Dream', mass: 'heavy' }]),
      /^instance 1, field "mass": expected a number, got "heavy"$/,
    ],
    [asRows([{ island: 'Dream', tagged: 'maybe' }]), /instance 0, field "tagged": expected a boolean/],
    [asRows([{ island: { nested: 1 } }]), /instance 0, field "island": expected a category label/],
    [
      asRows([{ island: 'Dream' }, 'text']),
      /instance 1: expected a record keyed by feature name or an encoded row/,
    ],
    [asRows([[1, 2, 3]]), /instance 0: an encoded row needs 5 numbers/],
    [asRows([[1, 2, 3, 4, null]]), /instance 0: expected a record/],
    [asRows([null]), /instance 0: expected a record/],
    [asColumns({ island: ['Dream', null] }, 2), /instance 1, field "island": is required/],
    [asColumns({ wings: [1] }, 1), /"wings" is not a feature of this model/],
    [
      { ...asColumns({ mass: ['3'] }, 1), datatype: { mass: 'BYTES' } },
      /a numeric feature needs a numeric datatype \(FP32\), got BYTES/,
    ],
  ])('refuses %# with a 400 naming the instance and field', (batch, message) => {
    expect(() => encodeBatch(batch, lenient)).toThrow(message);
    try {
      encodeBatch(batch, lenient);
    } catch (e) {
      expect((e as { code: string }).code).toBe('MYELIN_ERR_SERVING_BAD_REQUEST');
    }
  });

  it('ignores names that are no features in TF columnar inputs', () => {
    expect(encodeBatch(asColumns({ island: ['Dream'], wings: [2] }, 1, false), lenient).n).toBe(1);
  });
});

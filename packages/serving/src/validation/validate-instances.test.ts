import {
  fitPreprocessor,
  transformRecord,
  type DataSchema,
  type PreprocessConfig,
  type Row,
} from '@myelin/data';
import { describe, expect, it } from 'vitest';
import { validateInstances } from './validate-instances.js';

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
const fp = fitPreprocessor(rows, {
  features: ['island', 'mass', 'count', 'tagged'],
  schema,
  config: config('ignore'),
});
const strict = fitPreprocessor(rows, {
  features: ['island', 'mass', 'count', 'tagged'],
  schema,
  config: config('error'),
});

describe('validateInstances', () => {
  it('encodes raw records exactly as training does (one transform code path)', () => {
    const rec = { island: 'Dream', mass: 4200, count: '2', tagged: 'true', extra: 'ignored' };
    const out = validateInstances([rec], fp, schema);
    expect(Array.from(out.x)).toEqual(Array.from(transformRecord(fp, rec)));
    expect(out.warnings).toEqual([]);
  });

  it('accepts encoded rows, flat or nested, next to raw records', () => {
    const encoded = Array.from(transformRecord(fp, { island: 'Biscoe', mass: 3000 }));
    const out = validateInstances(
      [encoded, { island: 'Biscoe', mass: 3000 }, [encoded.slice(0, 2), encoded.slice(2)]],
      fp,
      schema,
    );
    expect(out.n).toBe(3);
    expect(Array.from(out.x.subarray(0, fp.width))).toEqual(
      Array.from(out.x.subarray(fp.width, 2 * fp.width)),
    );
    expect(Array.from(out.x.subarray(2 * fp.width))).toEqual(Array.from(out.x.subarray(0, fp.width)));
  });

  it('flags (never refuses) numbers outside the training range', () => {
    const out = validateInstances([{ island: 'Dream' }, { island: 'Dream', mass: 9000 }], fp, schema);
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
    const ok = validateInstances([{ island: 'Mars' }], fp, schema);
    expect(ok.warnings[0]).toMatchObject({ instance: 0, field: 'island', kind: 'unseen-category' });
    expect(() => validateInstances([{ island: 'Dream' }, { island: 'Mars' }], strict, schema)).toThrow(
      /instance 1, field "island": unseen category "Mars"/,
    );
  });

  it.each([
    [[{ mass: 3000 }], /instance 0, field "island": is required/],
    [
      [{ island: 'Dream' }, { island: 'Dream', mass: 'heavy' }],
      /instance 1, field "mass": expected a number, got "heavy"/,
    ],
    [[{ island: 'Dream', count: 1.5 }], /instance 0, field "count": expected an integer/],
    [[{ island: 'Dream', tagged: 'maybe' }], /instance 0, field "tagged": expected a boolean/],
    [[{ island: { nested: 1 } }], /instance 0, field "island": expected a category label/],
    [[{ island: 'Dream' }, 'text'], /instance 1: expected a record keyed by feature name or an encoded row/],
    [[[1, 2, 3]], /instance 0: an encoded row needs 5 numbers/],
    [[[1, 2, 3, 4, null]], /instance 0: expected a record/],
    [[null], /instance 0: expected a record/],
  ])('refuses %j with a 400 naming the instance and field', (instances, message) => {
    expect(() => validateInstances(instances, fp, schema)).toThrow(message);
    try {
      validateInstances(instances, fp, schema);
    } catch (e) {
      expect((e as { code: string }).code).toBe('MYELIN_ERR_SERVING_BAD_REQUEST');
    }
  });
});

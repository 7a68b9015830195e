import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import type { DataSchema, Row } from '../types.js';
import {
  decodeTarget,
  deserializePreprocessor,
  encodeTarget,
  fitPreprocessor,
  fitTargetEncoder,
  transformBatch,
  transformRecord,
  encodeColumns,
  encodeRecords,
  type PreprocessConfig,
} from './index.js';

const schema: DataSchema = {
  version: 1,
  columns: [
    { name: 'Island', type: 'category', nullable: false, values: ['Biscoe', 'Dream', 'Torgersen'] },
    { name: 'Mass', type: 'number', nullable: true },
    { name: 'Adult', type: 'boolean', nullable: true },
    { name: 'Seen', type: 'datetime', nullable: false },
    { name: 'Notes', type: 'string', nullable: true },
  ],
};
const rows: Row[] = [
  { Island: 'Biscoe', Mass: 3000, Adult: true, Seen: '2024-01-01T00:00:00Z', Notes: 'a' },
  { Island: 'Dream', Mass: 4000, Adult: false, Seen: '2024-01-02T00:00:00Z', Notes: 'b' },
  { Island: 'Biscoe', Mass: null, Adult: true, Seen: '2024-01-03T00:00:00Z', Notes: 'c' },
  { Island: 'Biscoe', Mass: 5000, Adult: null, Seen: '2024-01-04T00:00:00Z', Notes: 'd' },
];
const config: PreprocessConfig = {
  impute: { numeric: 'median', category: 'mostFrequent' },
  scale: 'standard',
  encode: 'onehot',
  unseen: 'error',
};
const features = ['Island', 'Mass', 'Adult', 'Seen'];
const fit = (c: Partial<PreprocessConfig> = {}) => fitPreprocessor(rows, { features, schema, config: { ...config, ...c } });

describe('fitPreprocessor', () => {
  it('builds a JSON-serialisable preprocessor with named outputs', () => {
    const fp = fit();
    expect(fp.outputNames).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', 'Mass', 'Adult', 'Seen']);
    expect(fp.width).toBe(6);
    expect(JSON.parse(JSON.stringify(fp))).toEqual(fp);
    const mass = fp.features[1];
    expect(mass).toMatchObject({ kind: 'numeric', fill: 4000, center: 4000 });
    expect(mass?.kind === 'numeric' && mass.scale).toBeCloseTo(Math.sqrt(2e6 / 3), 6); // population std
  });

  it('rejects free-text string features, naming the column', () => {
    expect(() => fitPreprocessor(rows, { features: ['Notes'], schema, config })).toThrow(
      /"Notes".*use type category or drop it from data\.features/,
    );
  });

  it('scales a constant column by 1 and supports minmax / none', () => {
    const constant = fitPreprocessor([{ Mass: 7 }, { Mass: 7 }], { features: ['Mass'], schema, config });
    expect(transformRecord(constant, { Mass: 9 })[0]).toBe(2);
    expect(transformRecord(fit({ scale: 'minmax' }), { Island: 'Dream', Mass: 4500, Seen: 0 })[3]).toBeCloseTo(0.75, 6);
    expect(transformRecord(fit({ scale: 'none' }), { Island: 'Dream', Mass: 4500, Seen: 0 })[3]).toBe(4500);
  });
});

describe('transformRecord / transformBatch', () => {
  it('one-hot encodes, imputes and scales, identical in record and batch form', () => {
    const fp = fit();
    const records = [
      { Island: 'Dream', Mass: 4000, Adult: false, Seen: '2024-01-02T00:00:00Z' },
      { Island: null, Mass: null, Adult: null, Seen: Date.UTC(2024, 0, 3) },
      { Island: 'Torgersen', Mass: '5000', Adult: 'true', Seen: '2024-01-01T00:00:00Z', extra: 1 },
    ];
    const batch = transformBatch(fp, records);
    expect(batch.rows).toBe(3);
    expect(batch.cols).toBe(6);
    records.forEach((r, i) => expect(Array.from(transformRecord(fp, r))).toEqual(Array.from(batch.data.subarray(i * 6, i * 6 + 6))));
    expect(batch.data.every((v) => Number.isFinite(v))).toBe(true);
    const missing = transformRecord(fp, records[1] as Record<string, unknown>);
    expect(Array.from(missing.subarray(0, 5))).toEqual([1, 0, 0, 0, 1]); // most frequent island, median mass, most frequent Adult
  });

  it('applies the unseen-category policy', () => {
    const rec = { Island: 'Atlantis', Mass: 4000, Seen: 0 };
    expect(() => transformRecord(fit(), rec)).toThrow(/unseen category "Atlantis" in column "Island"/);
    try {
      transformBatch(fit(), [{ Island: 'Dream', Seen: 0 }, rec]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MyelinError);
      expect((e as MyelinError).code).toBe('MYELIN_ERR_TRANSFORM');
      expect((e as MyelinError).location).toMatchObject({ dataColumn: 'Island', row: 2 });
      expect((e as MyelinError).message).toMatch(/record 1/);
    }
    expect(Array.from(transformRecord(fit({ unseen: 'ignore' }), rec).subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(transformRecord(fit({ unseen: 'mostFrequent' }), rec).subarray(0, 3))).toEqual([1, 0, 0]);
    expect(transformRecord(fit({ unseen: 'ignore', encode: 'index' }), rec)[0]).toBe(-1);
  });

  it('encodes categories as indices with encode: index', () => {
    const fp = fit({ encode: 'index' });
    expect(fp.outputNames).toEqual(['Island', 'Mass', 'Adult', 'Seen']);
    expect(transformRecord(fp, { Island: 'Torgersen', Seen: 0 })[0]).toBe(2);
  });

  it('imputes a constant category that joins the categories', () => {
    const fp = fit({ impute: { numeric: 'constant', numericConstant: -1, category: 'constant', categoryConstant: '(none)' }, scale: 'none' });
    expect(fp.outputNames.slice(0, 4)).toEqual(['Island=(none)', 'Island=Biscoe', 'Island=Dream', 'Island=Torgersen']);
    const out = transformRecord(fp, { Seen: 0 });
    expect(Array.from(out.subarray(0, 5))).toEqual([1, 0, 0, 0, -1]);
  });

  it('rejects non-numeric strings in numeric features, naming the column', () => {
    expect(() => transformRecord(fit(), { Island: 'Dream', Mass: 'heavy', Seen: 0 })).toThrow(/column "Mass".*expected a number/);
    expect(() => transformRecord(fit(), { Island: 'Dream', Mass: Infinity, Seen: 0 })).toThrow(/finite/);
    expect(() => transformRecord(fit(), { Island: 'Dream', Adult: 'maybe', Seen: 0 })).toThrow(/column "Adult"/);
    expect(() => transformRecord(fit(), { Island: 'Dream', Seen: 'yesterday' })).toThrow(/column "Seen"/);
  });
});

describe('deserializePreprocessor', () => {
  it('round-trips through JSON', () => {
    const fp = fit();
    const back = deserializePreprocessor(JSON.stringify(fp));
    expect(back).toEqual(fp);
    expect(Array.from(transformRecord(back, { Island: 'Dream', Seen: 0 }))).toEqual(Array.from(transformRecord(fp, { Island: 'Dream', Seen: 0 })));
  });
  it('rejects a wrong version or shape with a clear message', () => {
    const fp = fit();
    expect(() => deserializePreprocessor({ ...fp, version: 2 })).toThrow(/unsupported version 2/);
    expect(() => deserializePreprocessor({ ...fp, width: 5 })).toThrow(MyelinError);
    expect(() => deserializePreprocessor('{')).toThrow(/not JSON/);
    expect(() => deserializePreprocessor(null)).toThrow(/expected an object/);
  });
  it('checks the fields the old shape check took on trust: impute, training stats, output names', () => {
    const fp = fit();
    const impute = { ...fp.config.impute, numeric: 'mode' };
    expect(() => deserializePreprocessor({ ...fp, config: { ...fp.config, impute } })).toThrow(
      /config\.impute\.numeric mode/,
    );
    const numeric = fp.features.findIndex((f) => f.kind === 'numeric');
    const features = fp.features.map((f, i) => (i === numeric ? { ...f, stats: { count: 3 } } : f));
    expect(() => deserializePreprocessor({ ...fp, features })).toThrow(
      new RegExp(`features\\[${numeric}\\] needs finite stats`),
    );
    expect(() => deserializePreprocessor({ ...fp, outputNames: fp.outputNames.map(() => 1) })).toThrow(
      /outputNames must be strings/,
    );
  });
});

describe('target encoder', () => {
  it('one-hot encodes multiclass labels over sorted classes and decodes indices', () => {
    const enc = fitTargetEncoder(['Gentoo', 'Adelie', 'Chinstrap', 'Adelie'], 'multiclass');
    expect(enc).toMatchObject({ classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    const t = encodeTarget(enc, ['Gentoo', 'Adelie']);
    expect(t.cols).toBe(3);
    expect(Array.from(t.data)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(decodeTarget(enc, 1)).toBe('Chinstrap');
    expect(() => encodeTarget(enc, ['Emperor'])).toThrow(/unknown target class "Emperor"/);
  });
  it('encodes binary labels as 0/1 and gives numbers and booleans back', () => {
    const enc = fitTargetEncoder([true, false, true], 'binary');
    expect(Array.from(encodeTarget(enc, [false, true]).data)).toEqual([0, 1]);
    expect(decodeTarget(enc, 1)).toBe(true);
    const nums = fitTargetEncoder([10, 2, 10], 'binary');
    expect(nums).toMatchObject({ classes: ['2', '10'] });
    expect(decodeTarget(nums, 0)).toBe(2);
    expect(() => fitTargetEncoder(['a', 'b', 'c'], 'binary')).toThrow(/exactly 2 classes/);
  });
  it('keeps regression targets raw or standardises them', () => {
    const raw = fitTargetEncoder([1, 2, 3], 'regression');
    expect(Array.from(encodeTarget(raw, [2.5]).data)).toEqual([2.5]);
    const std = fitTargetEncoder([1, 2, 3], 'regression', { standardize: true });
    const y = encodeTarget(std, [3]).data[0] as number;
    expect(y).toBeCloseTo(1 / Math.sqrt(2 / 3), 6);
    expect(decodeTarget(std, y)).toBeCloseTo(3, 5);
    expect(() => fitTargetEncoder([1, null], 'regression')).toThrow(/missing/);
  });
});

describe('encodeRecords / encodeColumns (the one encoding pass, with optional checks)', () => {
  const records = [
    { Island: 'Dream', Mass: 4000, Adult: false, Seen: '2024-01-02T00:00:00Z' },
    { Island: null, Mass: null, Adult: null, Seen: Date.UTC(2024, 0, 3) },
    { Island: 'Torgersen', Mass: '5000', Adult: 'true', Seen: '2024-01-01T00:00:00Z' },
  ];

  it('columns give the same matrix as records, which give the same as transformBatch', () => {
    const fp = fit();
    const columns = Object.fromEntries(features.map((name) => [name, records.map((r) => (r as Record<string, unknown>)[name])]));
    const byColumns = encodeColumns(fp, columns, records.length);
    expect(Array.from(byColumns)).toEqual(Array.from(encodeRecords(fp, records)));
    expect(Array.from(byColumns)).toEqual(Array.from(transformBatch(fp, records).data));
    // typed-array columns and a column not given at all (imputed)
    const typed = encodeColumns(fp, { Island: ['Dream'], Mass: Float32Array.of(4000), Seen: Float64Array.of(0) }, 1);
    expect(Array.from(typed)).toEqual(Array.from(transformRecord(fp, { Island: 'Dream', Mass: 4000, Seen: 0 })));
  });

  it('reports out-of-range numbers and unseen categories through onWarning, still encoding them', () => {
    const fp = fit({ unseen: 'ignore' });
    const warnings: unknown[] = [];
    const checks = { ranges: [null, [3000, 5000] as const], onWarning: (w: unknown) => warnings.push(w) };
    const x = encodeColumns(fp, { Island: ['Dream', 'Atlantis'], Mass: [9000, 4000], Seen: [0, 0] }, 2, undefined, checks);
    expect(warnings).toEqual([
      { row: 1, feature: 0, kind: 'unseen-category', value: 'Atlantis' },
      { row: 0, feature: 1, kind: 'out-of-range', value: 9000 },
    ]);
    expect(Array.from(x.subarray(6, 9))).toEqual([0, 0, 0]);
    expect(x[3]).toBeCloseTo((9000 - 4000) / Math.sqrt(2e6 / 3), 4);
  });

  it('refuses a missing value of a required feature, naming the column and the record', () => {
    const fp = fit();
    try {
      encodeColumns(fp, { Island: ['Dream', null], Seen: [0, 0] }, 2, undefined, { required: [true] });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'MYELIN_ERR_TRANSFORM', location: { dataColumn: 'Island', row: 2 } });
      expect((e as MyelinError).detail).toBe('is required (the training data never lacked it) (record 1)');
    }
    expect(() => encodeRecords(fp, [{ Seen: 0 }], undefined, { required: [false, false, false, true] })).not.toThrow();
  });

  it('cuts long values in messages and lists at most 20 known categories', () => {
    const fp = fit();
    expect(() => transformRecord(fp, { Island: 'Dream', Mass: 'x'.repeat(500), Seen: 0 })).toThrow(/got "x{56}\.\.\.$/);
    const many = fitPreprocessor(
      Array.from({ length: 30 }, (_, i) => ({ C: `c${String(i).padStart(2, '0')}` })),
      { features: ['C'], schema: { version: 1, columns: [{ name: 'C', type: 'category', nullable: false }] }, config },
    );
    expect(() => transformRecord(many, { C: 'zz' })).toThrow(/c19, … \(30 in all\)\)$/);
  });
});

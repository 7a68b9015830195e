import { describe, expect, it } from 'vitest';
import { analyzeTable, fitTargetEncoder, type Row } from '@myelin/data';
import { profileSchema, targetEncoderSchema } from './stored-file-schemas.js';

// The files as the pipeline writes them: the data package's own profile and target encoder,
// through JSON (which writes NaN as null), read back by the schemas serving loads them with.
const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const rows: Row[] = [
  { island: 'Dream', mass: 3800, flag: true, species: 'Adelie' },
  { island: 'Biscoe', mass: 5200, flag: false, species: 'Gentoo' },
  { island: 'Dream', mass: null, flag: true, species: 'Chinstrap' },
  { island: 'Torgersen', mass: 3400, flag: false, species: 'Adelie' },
];

describe('stored file schemas', () => {
  it('read back a profile the validate step computed, unchanged', async () => {
    const { profile } = await analyzeTable(rows, { target: 'species' });
    expect(profileSchema.parse(roundTrip(profile))).toEqual(roundTrip(profile));
  });

  it('read back class and regression target encoders, unchanged', () => {
    const cls = fitTargetEncoder(['Adelie', 'Gentoo', 'Adelie'], 'multiclass');
    const reg = fitTargetEncoder([1, 2, 4], 'regression', { standardize: true });
    expect(targetEncoderSchema.parse(roundTrip(cls))).toEqual(cls);
    expect(targetEncoderSchema.parse(roundTrip(reg))).toEqual(reg);
  });

  it('refuse a file of another shape, naming the field', () => {
    const r = targetEncoderSchema.safeParse({
      version: 1,
      task: 'multiclass',
      classes: 'Adelie',
      labelType: 'string',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['classes']);
    const p = profileSchema.safeParse({ version: 1, rows: 3, columns: [{ name: 'x', type: 'vector' }] });
    expect(p.error?.issues[0]?.path).toEqual(['columns', 0, 'type']);
  });
});

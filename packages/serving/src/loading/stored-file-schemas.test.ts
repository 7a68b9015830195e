import { describe, expect, it } from 'vitest';
import { analyzeTable, type Row } from '@myelin/data';
import { profileSchema } from './stored-file-schemas.js';

// The files as the pipeline writes them: the data package's own profile,
// through JSON (which writes NaN as null), read back by the schema serving loads it with.
const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const rows: Row[] = [
  { island: 'Dream', mass: 3800, flag: true, species: 'Adelie' },
  { island: 'Biscoe', mass: 5200, flag: false, species: 'Gentoo' },
  { island: 'Dream', mass: null, flag: true, species: 'Chinstrap' },
  { island: 'Torgersen', mass: 3400, flag: false, species: 'Adelie' },
];

describe('profileSchema', () => {
  it('read back a profile the validate step computed, unchanged', async () => {
    const { profile } = await analyzeTable(rows, { target: 'species' });
    expect(profileSchema.parse(roundTrip(profile))).toEqual(roundTrip(profile));
  });

  it('refuse a file of another shape, naming the field', () => {
    const p = profileSchema.safeParse({ version: 1, rows: 3, columns: [{ name: 'x', type: 'vector' }] });
    expect(p.error?.issues[0]?.path).toEqual(['columns', 0, 'type']);
  });
});

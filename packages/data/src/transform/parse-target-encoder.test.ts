import { describe, expect, it } from 'vitest';
import { fitTargetEncoder } from './target-encoder.js';
import { parseTargetEncoder } from './parse-target-encoder.js';

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('parseTargetEncoder', () => {
  it('reads back every encoder fitTargetEncoder writes, unchanged', () => {
    for (const enc of [
      fitTargetEncoder(['Gentoo', 'Adelie', 'Chinstrap'], 'multiclass'),
      fitTargetEncoder([0, 1, 1, 0], 'binary'),
      fitTargetEncoder([true, false], 'binary'),
      fitTargetEncoder([1.5, 2.5, 4], 'regression', { standardize: true }),
      fitTargetEncoder([3, 3, 3], 'regression'),
    ])
      expect(parseTargetEncoder(roundTrip(enc))).toEqual(enc);
  });

  it('refuses an encoder of another shape, saying which field', () => {
    const cls = { version: 1, task: 'multiclass', classes: ['a', 'b'], labelType: 'string' };
    expect(() => parseTargetEncoder({ ...cls, version: 2 })).toThrow(/unsupported version 2/);
    expect(() => parseTargetEncoder({ ...cls, classes: 'a' })).toThrow(/classes must be a list of strings/);
    expect(() => parseTargetEncoder({ ...cls, task: 'binary', classes: ['a'] })).toThrow(/2 classes, not 1/);
    expect(() => parseTargetEncoder({ ...cls, labelType: 'bigint' })).toThrow(/labelType must be one of/);
    expect(() =>
      parseTargetEncoder({ version: 1, task: 'regression', standardize: true, mean: 1, std: 0 }),
    ).toThrow(/std must be a finite non-zero number/);
    expect(() => parseTargetEncoder({ version: 1, task: 'ranking' })).toThrow(
      /task must be binary, multiclass or regression/,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './sort-float64.js';

describe('sortFloat64', () => {
  it('sorts like Float64Array.prototype.sort, -0 before 0, infinities at the ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, -1, 5e-324, -Infinity, Infinity)), {
          minLength: 500,
          maxLength: 3000,
        }),
        (xs) => {
          const expected = Float64Array.from(xs).sort();
          const got = sortFloat64(Float64Array.from(xs));
          expect(Array.from(got).map((x) => Object.is(x, -0) ? '-0' : x)).toEqual(Array.from(expected).map((x) => Object.is(x, -0) ? '-0' : x));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sorts a view inside a larger buffer without touching the rest', () => {
    const all = Float64Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000);
    const view = all.subarray(500, 1500);
    const outside = [...all.subarray(0, 500), ...all.subarray(1500)];
    sortFloat64(view);
    for (let i = 1; i < view.length; i++) expect(view[i]! >= view[i - 1]!).toBe(true);
    expect([...all.subarray(0, 500), ...all.subarray(1500)]).toEqual(outside);
  });
});

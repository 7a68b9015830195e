import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarseKey, coarseSortFloat64 } from './coarse-sort-float64.js';

const finite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom(0, -0, 1, -1, 5e-324, -5e-324, 1.0001, 1.0002),
);

describe('coarseSortFloat64', () => {
  it('keeps the values (a permutation) in the order of their coarse keys, matching the full sort where keys differ', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 3000 }), (xs) => {
        const got = coarseSortFloat64(Float64Array.from(xs));
        const exact = Float64Array.from(xs).sort();
        // the same multiset
        expect(Float64Array.from(got).sort()).toEqual(exact);
        for (let i = 1; i < got.length; i++) expect(coarseKey(got[i]!)).toBeGreaterThanOrEqual(coarseKey(got[i - 1]!));
        // position by position, the value is the exact sort's up to the key's precision
        for (let i = 0; i < got.length; i++) expect(coarseKey(got[i]!)).toBe(coarseKey(exact[i]!));
      }),
      { numRuns: 200 },
    );
  });

  it('puts values more than 2⁻¹² apart (relative) in order', () => {
    const xs = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) - 2500);
    coarseSortFloat64(xs);
    for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThan(xs[i - 1]!);
  });

  it('sorts a view inside a larger buffer without touching the rest', () => {
    const all = Float64Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000);
    const outside = [...all.subarray(0, 500), ...all.subarray(1500)];
    const view = coarseSortFloat64(all.subarray(500, 1500));
    for (let i = 1; i < view.length; i++) expect(view[i]!).toBeGreaterThan(view[i - 1]!);
    expect([...all.subarray(0, 500), ...all.subarray(1500)]).toEqual(outside);
  });

  it('leaves an empty or one-value array as it is', () => {
    expect([...coarseSortFloat64(new Float64Array(0))]).toEqual([]);
    expect([...coarseSortFloat64(Float64Array.of(-3))]).toEqual([-3]);
  });
});

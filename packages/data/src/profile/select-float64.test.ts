import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectFloat64 } from './select-float64.js';

describe('selectFloat64', () => {
  it('finds the k-th smallest value and partitions around it', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, 1, 1, 2)), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, r) => {
        const k = r % xs.length;
        const values = Float64Array.from(xs);
        const sorted = Float64Array.from(xs).sort();
        // numerically equal: -0 and +0 are the same value to a selection (sort() orders -0 first)
        expect(selectFloat64(values, k) === sorted[k]).toBe(true);
        for (let i = 0; i < k; i++) expect(values[i]! <= values[k]!).toBe(true);
        for (let i = k + 1; i < values.length; i++) expect(values[i]! >= values[k]!).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberCounts } from './number-counts.js';

const sorted = (c: NumberCounts): [number, number][] => [...c.entries()].sort((a, b) => a[0] - b[0]);

const values = fc.array(
  fc.oneof(
    fc.constantFrom(0, -0, 0, 0, 1, 2.5, -3),
    fc.integer({ min: -50, max: 50 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  ),
  { maxLength: 2000 },
);

describe('NumberCounts', () => {
  it('addAll counts what add counts value by value (zeros aside, runs, up to the distinct limit)', () => {
    fc.assert(
      fc.property(
        values,
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.constantFrom(0, 7, -0), { maxLength: 3 }),
        (xs, limit, before) => {
          const batch = new NumberCounts();
          const ref = new NumberCounts();
          for (const x of before) {
            batch.add(x);
            ref.add(x);
          }
          // the reference: add one value at a time, stopping once a new value reaches the limit
          let taken = xs.length;
          for (let j = 0; j < xs.length; j++) {
            if (ref.add(xs[j]!) && ref.size >= limit) {
              taken = j + 1;
              break;
            }
          }
          expect(batch.addAll(Float64Array.from(xs), xs.length, limit)).toBe(taken);
          expect(sorted(batch)).toEqual(sorted(ref));
          expect(batch.size).toBe(ref.size);
        },
      ),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCell } from './hash-cell.js';
import { HyperLogLog } from './hyper-log-log.js';

describe('HyperLogLog', () => {
  it('addFiniteNumbers counts a batch as add(hashCell(x)) counts each value', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1, 2.5)),
          { maxLength: 3000 },
        ),
        fc.nat(20),
        (xs, skip) => {
          const batch = new HyperLogLog();
          const one = new HyperLogLog();
          const from = Math.min(skip, xs.length);
          batch.addFiniteNumbers(Float64Array.from(xs), from, xs.length);
          const h = new Uint32Array(2);
          for (const x of xs.slice(from)) {
            hashCell(x, h);
            one.add(h[0]!, h[1]!);
          }
          expect(batch.estimate()).toBe(one.estimate());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('estimates 100,000 distinct numbers within 3%', () => {
    const hll = new HyperLogLog();
    hll.addFiniteNumbers(
      Float64Array.from({ length: 100_000 }, (_, i) => i * 0.37),
      0,
      100_000,
    );
    expect(Math.abs(hll.estimate() - 100_000) / 100_000).toBeLessThan(0.03);
  });
});

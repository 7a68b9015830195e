import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './quantile-sketch.js';

const LEVELS = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];

/** The exact quantile, as the profile's exact path computes it (linear between order statistics). */
function exactQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[Math.min(sorted.length - 1, lo + 1)] as number) - a);
}

/** Values as a CSV holds them: 4 decimals, magnitudes up to `scale`. */
const csvValues = (scale: number) =>
  fc.array(
    fc.double({ min: -scale, max: scale, noNaN: true }).map((x) => Math.round(x * 1e4) / 1e4),
    { minLength: 1, maxLength: 4000 },
  );

describe('QuantileSketch', () => {
  it('puts each quantile between the order statistics around its rank, up to a bucket (2⁻⁷ of the value)', () => {
    fc.assert(
      fc.property(csvValues(1e3), fc.integer({ min: 1, max: 3 }), (xs, copies) => {
        const sketch = new QuantileSketch();
        for (const x of xs) sketch.add(x, copies);
        const sorted = Float64Array.from(xs.flatMap((x) => Array<number>(copies).fill(x))).sort();
        for (const q of LEVELS) {
          const h = (sorted.length - 1) * q;
          const a = sorted[Math.floor(h)] as number;
          const b = sorted[Math.ceil(h)] as number;
          const slack = 2 ** -7 * Math.max(Math.abs(a), Math.abs(b));
          const got = sketch.quantile(q);
          expect(got).toBeGreaterThanOrEqual(a - slack);
          expect(got).toBeLessThanOrEqual(b + slack);
        }
        expect(sketch.count).toBe(sorted.length);
      }),
      { numRuns: 150 },
    );
  });

  it('gives a CDF within 1% of the exact fraction at every value', () => {
    fc.assert(
      fc.property(csvValues(50), (xs) => {
        const sketch = new QuantileSketch();
        for (const x of xs) sketch.add(x);
        const sorted = Float64Array.from(xs).sort();
        for (const x of [sorted[0] as number, ...xs.slice(0, 50), sorted.at(-1) as number]) {
          let below = 0;
          while (below < sorted.length && (sorted[below] as number) <= x) below++;
          // the exact fraction ≤ x, or of values < x (a bucket's own values are spread evenly)
          let strictly = 0;
          while (strictly < sorted.length && (sorted[strictly] as number) < x) strictly++;
          const got = sketch.cdf(x);
          expect(got).toBeGreaterThanOrEqual(strictly / sorted.length - 0.01);
          expect(got).toBeLessThanOrEqual(below / sorted.length + 0.01);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a million values of a wide range in bounded buckets, close to the exact quantiles', () => {
    const sketch = new QuantileSketch();
    const xs = new Float64Array(1_000_000);
    let s = 1;
    for (let i = 0; i < xs.length; i++) {
      s = (s * 48271) % 2147483647;
      // log-uniform magnitudes from 1e-6 to 1e6, both signs
      xs[i] = (s & 1 ? 1 : -1) * 10 ** (((s >>> 1) % 1_200_000) / 100_000 - 6);
      sketch.add(xs[i] as number);
    }
    xs.sort();
    for (const q of LEVELS) {
      const exact = exactQuantile(xs, q);
      expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact));
    }
  });

  it('addAll gives the sketch that add on each value gives', () => {
    fc.assert(
      fc.property(csvValues(1e3), fc.nat(10), (xs, skip) => {
        const batch = new QuantileSketch();
        const each = new QuantileSketch();
        const from = Math.min(skip, xs.length);
        batch.addAll(Float64Array.from(xs), from, xs.length);
        for (const x of xs.slice(from)) each.add(x);
        expect(batch.count).toBe(each.count);
        for (const q of LEVELS) expect(Object.is(batch.quantile(q), each.quantile(q))).toBe(true);
        for (const x of xs.slice(0, 20)) expect(batch.cdf(x)).toBe(each.cdf(x));
      }),
      { numRuns: 100 },
    );
  });

  it('holds zeros, one value, and the ends exactly', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantile(0.5)).toBeNaN();
    sketch.add(0, 10);
    expect(sketch.quantile(0.5)).toBe(0);
    sketch.add(-2.5);
    sketch.add(7);
    expect(sketch.quantile(0)).toBe(-2.5);
    expect(sketch.quantile(1)).toBe(7);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(sketch.cdf(-3)).toBe(0);
    expect(sketch.cdf(7)).toBe(1);
    expect(sketch.cdf(0)).toBeCloseTo(11 / 12, 9);
    const one = new QuantileSketch();
    one.add(Number.MAX_VALUE);
    expect(one.quantile(0.3)).toBe(Number.MAX_VALUE);
  });
});

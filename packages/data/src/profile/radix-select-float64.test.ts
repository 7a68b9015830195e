import { describe, expect, it } from 'vitest';
import { kthSmallestPair } from './radix-select-float64.js';
import { selectFloat64 } from './select-float64.js';

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('kthSmallestPair', () => {
  const next = random(7);
  const cases: [string, Float64Array][] = [
    ['spread values of both signs', Float64Array.from({ length: 200_000 }, () => (next() - 0.4) * 1e6)],
    ['values of one binade (bucketed twice)', Float64Array.from({ length: 200_000 }, () => 1 + next())],
    ['few distinct values', Float64Array.from({ length: 200_000 }, () => Math.floor(next() * 5))],
    [
      'infinities among them',
      Float64Array.from({ length: 100_000 }, (_, i) =>
        i % 97 === 0 ? -Infinity : i % 89 === 0 ? Infinity : next(),
      ),
    ],
    ['a short array', Float64Array.of(5, 1, 4, 2, 3)],
  ];
  for (const [name, values] of cases) {
    it(`gives quickselect's k-th value and the largest left of it, leaving the input as it was: ${name}`, () => {
      const before = values.slice();
      for (const k of [0, 1, values.length >> 1, values.length - 2, values.length - 1]) {
        const copy = values.slice();
        const upper = selectFloat64(copy, k);
        const lower = copy.subarray(0, k).reduce((a, b) => (b > a ? b : a), -Infinity);
        expect(kthSmallestPair(values, k)).toEqual({ lower, upper });
      }
      expect(values).toEqual(before);
    });
  }
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCandidate } from './route-traffic.js';

describe('toCandidate', () => {
  it('is sticky per request key and version', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (key, v, t) => {
          fc.pre(key !== '');
          expect(toCandidate(t, key, v)).toBe(toCandidate(t, key, v));
        },
      ),
    );
  });

  it('sends about the configured share of keys', () => {
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (toCandidate(0.2, `user-${i}`, 3)) hits++;
    expect(hits / 10_000).toBeGreaterThan(0.18);
    expect(hits / 10_000).toBeLessThan(0.22);
  });

  it('uses the random source without a key, and the extremes always/never', () => {
    expect(toCandidate(0.5, undefined, 1, () => 0.49)).toBe(true);
    expect(toCandidate(0.5, '', 1, () => 0.51)).toBe(false);
    expect(toCandidate(0, 'k', 1)).toBe(false);
    expect(toCandidate(1, 'k', 1)).toBe(true);
  });
});

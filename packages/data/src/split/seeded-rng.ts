import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { MyelinError } from '@myelin/errors';

/** Outputs dropped right after seeding: xoroshiro128+ seeded from a small integer starts poorly mixed. */
const WARM_UP = 32;

/**
 * A seeded xoroshiro128+ generator (pure-rand). The seed must be a safe integer; seeds that
 * differ only above bit 32 are folded into 32 bits with a multiplicative hash first, so they still
 * give different streams. The first 32 outputs are discarded (warm-up).
 *
 * @example
 * const rng = createSeededRng(42);
 * uniformInt(rng, 0, 9); // same value on every run
 */
export function createSeededRng(seed: number): RandomGenerator {
  if (!Number.isSafeInteger(seed)) {
    throw new MyelinError('MYELIN_ERR_SPEC_INVALID', `the seed must be an integer, got ${String(seed)}`, {
      path: 'seed',
    });
  }
  const high = Math.floor(seed / 0x100000000);
  const folded = (seed | 0) ^ Math.imul(high | 0, 0x9e3779b1);
  const rng = xoroshiro128plus(folded);
  for (let i = 0; i < WARM_UP; i++) rng.next();
  return rng;
}

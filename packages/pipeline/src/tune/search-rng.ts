import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

const SCALE = 2 ** 30;

/**
 * A seeded source of uniform numbers in [0, 1) for the search strategies: the same seed gives the
 * same draws on every machine.
 *
 * @example const next = searchRng(7); next(); // e.g. 0.4113…, the same for seed 7 every time
 */
export function searchRng(seed: number): () => number {
  const rng = xoroshiro128plus(seed | 0);
  return () => uniformInt(rng, 0, SCALE - 1) / SCALE;
}

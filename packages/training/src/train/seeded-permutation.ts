import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { deriveSeed } from '../model/index.js';

/**
 * The order in which epoch `epoch` visits `n` samples: a Fisher–Yates shuffle driven by
 * xoroshiro128+ seeded from (seed, epoch). Depends on nothing else, so a resumed run shuffles
 * exactly as the original would have.
 *
 * @example
 * seededPermutation(5, 7, 1); // e.g. Uint32Array [3, 0, 4, 1, 2], the same on every call
 */
export function seededPermutation(n: number, seed: number, epoch: number): Uint32Array {
  const rng = xoroshiro128plus(deriveSeed(seed, 0x5eed, epoch) | 0);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

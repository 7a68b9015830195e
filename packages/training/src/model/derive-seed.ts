/**
 * Derives an independent 32-bit seed from a base seed and a path of integers (layer index,
 * epoch, step…) with a murmur3-style mix, so that nearby inputs give unrelated seeds.
 * Pure and stable across runs and platforms.
 *
 * @example
 * deriveSeed(7, 0) !== deriveSeed(7, 1); // per-layer seeds from one model seed
 * deriveSeed(7, 3, 12);                 // epoch 3, step 12
 */
export function deriveSeed(seed: number, ...path: number[]): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  for (const p of path) {
    h = Math.imul(h ^ (p | 0), 0xcc9e2d51);
    h = ((h << 15) | (h >>> 17)) >>> 0;
    h = Math.imul(h, 0x1b873593) ^ 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { createSeededRng } from './seeded-rng.js';

/**
 * Shuffles `items` in place with Fisher–Yates, drawing from `rng` (which advances).
 * Used by `seededShuffle` and by the stratified split, which shuffles class after class from one stream.
 */
export function shuffleInPlace<T, A extends { [i: number]: T; readonly length: number }>(items: A, rng: RandomGenerator): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/**
 * A shuffled copy of `items`, deterministic for a seed (xoroshiro128+ and Fisher–Yates).
 * The input is not modified.
 *
 * @example
 * seededShuffle([0, 1, 2, 3, 4], 42); // the same permutation on every run and machine
 */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  return shuffleInPlace(items.slice(), createSeededRng(seed));
}

import { MyelinError } from '@myelin/errors';
import { allocateCounts } from './allocate-counts.js';
import { createSeededRng } from './seeded-rng.js';
import { shuffleInPlace } from './seeded-shuffle.js';
import type { SplitInput, SplitOptions, SplitResult } from './split-types.js';

type Label = string | number | boolean | null;

/**
 * Splits row indices 0..n-1 into train, validation and test, deterministically for `opts.seed`.
 *
 * - Unstratified: the indices are shuffled (xoroshiro128+ seeded with `seed`, Fisher–Yates) and
 *   cut into consecutive runs of the sizes `allocateCounts(n, fractions)` gives.
 * - Stratified (`stratify` and `labels` given): rows are grouped by label (strict equality, so
 *   `1`, `"1"` and `true` are different classes; `null` is a class of its own), classes are taken in
 *   order of first appearance, each class is shuffled from the same random stream and cut with
 *   `allocateCounts(classSize, fractions)`. Every class with at least one row therefore reaches
 *   train when `train > 0`; split sizes may differ from n·fraction by up to one row per class.
 *
 * Every index lands in exactly one split; each split is sorted ascending.
 *
 * @example
 * splitIndices({ n: 10 }, { train: 0.6, validation: 0.2, test: 0.2, seed: 42, stratify: false });
 * // { train: [6 indices], validation: [2], test: [2] }
 */
export function splitIndices(input: SplitInput, opts: SplitOptions): SplitResult {
  const { n, labels } = input;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new MyelinError('MYELIN_ERR_INTERNAL', `splitIndices: n must be a non-negative integer, got ${String(n)}`);
  }
  const fractions = checkFractions(opts);
  if (labels !== undefined && labels.length !== n) {
    throw new MyelinError('MYELIN_ERR_INTERNAL', `splitIndices: ${labels.length} labels for ${n} rows`);
  }
  const rng = createSeededRng(opts.seed);
  const groups: number[][] = [];
  if (opts.stratify && labels) {
    const byLabel = new Map<Label, number[]>();
    labels.forEach((label, i) => {
      let group = byLabel.get(label);
      if (!group) {
        group = [];
        byLabel.set(label, group);
        groups.push(group);
      }
      group.push(i);
    });
  } else {
    groups.push(Array.from({ length: n }, (_, i) => i));
  }
  // which split each index goes to; reading them back in index order gives sorted splits (no sort)
  const part = new Uint8Array(n);
  for (const group of groups) {
    shuffleInPlace(group, rng);
    const [nTrain, nValidation] = allocateCounts(group.length, fractions);
    for (let k = 0; k < group.length; k++) part[group[k] as number] = k < nTrain ? 0 : k < nTrain + nValidation ? 1 : 2;
  }
  const out: SplitResult = { train: [], validation: [], test: [] };
  const lists = [out.train, out.validation, out.test];
  for (let i = 0; i < n; i++) (lists[part[i] as number] as number[]).push(i);
  return out;
}

function checkFractions(opts: SplitOptions): [number, number, number] {
  const fractions: [number, number, number] = [opts.train, opts.validation, opts.test];
  const names = ['train', 'validation', 'test'];
  fractions.forEach((f, i) => {
    if (!Number.isFinite(f) || f < 0 || f > 1) {
      throw new MyelinError('MYELIN_ERR_SPEC_INVALID', `expected a fraction between 0 and 1, got ${String(f)}`, {
        path: `data.split.${names[i]}`,
      });
    }
  });
  const sum = fractions[0] + fractions[1] + fractions[2];
  if (Math.abs(sum - 1) > 1e-6) {
    throw new MyelinError('MYELIN_ERR_SPEC_INVALID', `train + validation + test must be 1, got ${sum}`, {
      path: 'data.split',
    });
  }
  return fractions;
}

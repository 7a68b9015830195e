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
  const { n, labels, groups } = input;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new MyelinError(
      'MYELIN_ERR_INTERNAL',
      `splitIndices: n must be a non-negative integer, got ${String(n)}`,
    );
  }
  const fractions = checkFractions(opts);
  if (labels !== undefined && labels.length !== n) {
    throw new MyelinError('MYELIN_ERR_INTERNAL', `splitIndices: ${labels.length} labels for ${n} rows`);
  }
  if (groups !== undefined && groups.length !== n) {
    throw new MyelinError('MYELIN_ERR_INTERNAL', `splitIndices: ${groups.length} groups for ${n} rows`);
  }
  const rng = createSeededRng(opts.seed);
  // the groups (classes in order of first appearance, or all rows), each a run of `members`
  // holding its indices in ascending order; typed arrays, no array per class or object per row
  const members = new Int32Array(n);
  const starts: number[] = [0];
  const classes = !opts.stratify
    ? undefined
    : labels
      ? groupsOfLabels(labels)
      : groups
        ? countGroups(groups)
        : undefined;
  if (classes) {
    const { groupOf, sizes } = classes;
    const next = new Int32Array(sizes.length);
    for (let g = 0; g < sizes.length; g++) {
      next[g] = starts[g] as number;
      starts.push((starts[g] as number) + (sizes[g] as number));
    }
    for (let i = 0; i < n; i++) members[(next[groupOf[i] as number] as number)++] = i;
  } else {
    for (let i = 0; i < n; i++) members[i] = i;
    starts.push(n);
  }
  // which split each index goes to; reading them back in index order gives sorted splits (no sort)
  const part = new Uint8Array(n);
  const sizes: [number, number, number] = [0, 0, 0];
  for (let g = 0; g + 1 < starts.length; g++) {
    const group = members.subarray(starts[g] as number, starts[g + 1] as number);
    shuffleInPlace(group, rng);
    const [nTrain, nValidation, nTest] = allocateCounts(group.length, fractions);
    for (let k = 0; k < group.length; k++)
      part[group[k] as number] = k < nTrain ? 0 : k < nTrain + nValidation ? 1 : 2;
    sizes[0] += nTrain;
    sizes[1] += nValidation;
    sizes[2] += nTest;
  }
  const lists = sizes.map((size) => new Array<number>(size)) as [number[], number[], number[]];
  const filled = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const p = part[i] as number;
    (lists[p] as number[])[(filled[p] as number)++] = i;
  }
  return { train: lists[0], validation: lists[1], test: lists[2] };
}

/** Each row's class (labels by strict equality, numbered in order of first appearance) and the class sizes. */
function groupsOfLabels(labels: Label[]): { groupOf: Int32Array; sizes: number[] } {
  const groupOf = new Int32Array(labels.length);
  const byLabel = new Map<Label, number>();
  const sizes: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as Label;
    let g = byLabel.get(label);
    if (g === undefined) {
      g = sizes.length;
      byLabel.set(label, g);
      sizes.push(0);
    }
    groupOf[i] = g;
    (sizes[g] as number)++;
  }
  return { groupOf, sizes };
}

/** The class sizes of rows given as class numbers, checked to be numbered in order of first appearance. */
function countGroups(groupOf: Int32Array): { groupOf: Int32Array; sizes: number[] } {
  const sizes: number[] = [];
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i] as number;
    if (g === sizes.length) sizes.push(0);
    else if (g < 0 || g > sizes.length)
      throw new MyelinError(
        'MYELIN_ERR_INTERNAL',
        `splitIndices: group ${g} of row ${i} is not numbered in order of first appearance`,
      );
    (sizes[g] as number)++;
  }
  return { groupOf, sizes };
}

function checkFractions(opts: SplitOptions): [number, number, number] {
  const fractions: [number, number, number] = [opts.train, opts.validation, opts.test];
  const names = ['train', 'validation', 'test'];
  fractions.forEach((f, i) => {
    if (!Number.isFinite(f) || f < 0 || f > 1) {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_INVALID',
        `expected a fraction between 0 and 1, got ${String(f)}`,
        {
          path: `data.split.${names[i]}`,
        },
      );
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

import type { SearchDimension, TuneSection } from '@myelin/spec';
import { searchRng } from './search-rng.js';
import type { TrialParams } from './trial-params.js';

/** Points a grid takes of a continuous range: its ends and its middle (geometric for log). */
const GRID_POINTS = 3;

/** The values a grid enumerates for one dimension. */
export function gridValues(d: SearchDimension): (number | string | boolean)[] {
  if (d.choice) return [...d.choice];
  if (d.int) {
    const [lo, hi] = d.int;
    if (hi - lo + 1 <= GRID_POINTS * 2) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    return [
      ...new Set(
        Array.from({ length: GRID_POINTS }, (_, i) => Math.round(lo + ((hi - lo) * i) / (GRID_POINTS - 1))),
      ),
    ];
  }
  if (d.logUniform) {
    const [lo, hi] = d.logUniform;
    const inner = (i: number) =>
      Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (GRID_POINTS - 1));
    return Array.from({ length: GRID_POINTS }, (_, i) =>
      i === 0 ? lo : i === GRID_POINTS - 1 ? hi : inner(i),
    );
  }
  const [lo, hi] = d.uniform ?? [0, 1];
  return Array.from({ length: GRID_POINTS }, (_, i) => lo + ((hi - lo) * i) / (GRID_POINTS - 1));
}

/** One seeded draw of a dimension. */
export function drawValue(d: SearchDimension, next: () => number): number | string | boolean {
  if (d.choice) return d.choice[Math.floor(next() * d.choice.length)] as number | string | boolean;
  if (d.int) return d.int[0] + Math.floor(next() * (d.int[1] - d.int[0] + 1));
  if (d.logUniform) {
    const [lo, hi] = d.logUniform;
    return Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)));
  }
  const [lo, hi] = d.uniform ?? [0, 1];
  return lo + next() * (hi - lo);
}

/**
 * The parameters of every trial of a search, in trial order: for `grid`, the combinations of each
 * dimension's grid values (paths in the order written, the last varying fastest), the first
 * `maxTrials` of them; for `random` and `asha`, `maxTrials` seeded draws.
 *
 * @example
 * planTrials({ strategy: 'grid', maxTrials: 16, space: { 'train.batchSize': { choice: [8, 16] } }, … })
 * // [{ 'train.batchSize': 8 }, { 'train.batchSize': 16 }]
 */
export function planTrials(
  tune: Pick<TuneSection, 'strategy' | 'space' | 'maxTrials' | 'seed'>,
): TrialParams[] {
  const dims = Object.entries(tune.space);
  if (tune.strategy === 'grid') {
    let combos: TrialParams[] = [{}];
    for (const [path, d] of dims) {
      combos = combos.flatMap((c) => gridValues(d).map((v) => ({ ...c, [path]: v })));
      if (combos.length > tune.maxTrials * 64) break;
    }
    return combos.slice(0, tune.maxTrials);
  }
  const next = searchRng(tune.seed);
  return Array.from({ length: tune.maxTrials }, () =>
    Object.fromEntries(dims.map(([path, d]) => [path, drawValue(d, next)])),
  );
}

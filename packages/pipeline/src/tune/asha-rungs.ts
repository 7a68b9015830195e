/** What a rung says of a trial that reached it. */
export type RungVerdict = 'continue' | 'stop';

/** The rungs (epochs) of ASHA: `minEpochs · factor^k` below `maxEpochs`. */
export function ashaRungEpochs(o: { minEpochs: number; factor: number; maxEpochs: number }): number[] {
  const rungs: number[] = [];
  for (let r = o.minEpochs; r < o.maxEpochs; r *= o.factor) rungs.push(r);
  return rungs;
}

/**
 * The ASHA verdict of `value` given every value recorded at its rung so far (`value` among them):
 * it goes on while among the best `1/factor` of them; the first `factor - 1` arrivals always go on
 * (there is nothing to compare them with yet). Lower is better; a non-finite value counts as Infinity.
 *
 * @example ashaVerdict([0.5, 0.9], 0.9, 2) // 'stop'
 */
export function ashaVerdict(recorded: readonly number[], value: number, factor: number): RungVerdict {
  if (recorded.length < factor) return 'continue';
  const keep = Math.max(1, Math.floor(recorded.length / factor));
  const cutoff = [...recorded].sort((a, b) => a - b)[keep - 1] as number;
  return (Number.isFinite(value) ? value : Infinity) <= cutoff ? 'continue' : 'stop';
}

/**
 * Where the trials of one search report their rung values: one process's memory (in-process lanes,
 * `AshaRungs`) or a Redis hash per rung that every worker of the run shares (`RedisRungBoard`).
 */
export interface RungBoard {
  /** The rung epochs. */
  readonly rungs: number[];
  /** Records trial `trial`'s value at `epoch`; says whether it goes on. Epochs off a rung always go on. */
  report(trial: number, epoch: number, value: number): Promise<RungVerdict>;
}

/**
 * Asynchronous successive halving (ASHA) as early stopping, in one process's memory: rungs at
 * `minEpochs · factor^k` epochs below `maxEpochs`; a trial reaching a rung records its value there
 * and goes on only while `ashaVerdict` says so (lower values are better: the rung value is the
 * validation loss). A trial reporting a rung again (read back from its record) replaces its value.
 *
 * @example
 * const a = new AshaRungs({ minEpochs: 2, factor: 2, maxEpochs: 8 }); // rungs 2, 4
 * await a.report(0, 2, 0.5); // 'continue' (first at rung 2)
 * await a.report(1, 2, 0.9); // 'stop' (not in the best half of [0.5, 0.9])
 */
export class AshaRungs implements RungBoard {
  readonly rungs: number[];
  readonly #factor: number;
  readonly #recorded = new Map<number, Map<number, number>>();

  constructor(o: { minEpochs: number; factor: number; maxEpochs: number }) {
    this.#factor = o.factor;
    this.rungs = ashaRungEpochs(o);
  }

  async report(trial: number, epoch: number, value: number): Promise<RungVerdict> {
    if (!this.rungs.includes(epoch)) return 'continue';
    const values = this.#recorded.get(epoch) ?? new Map<number, number>();
    values.set(trial, Number.isFinite(value) ? value : Infinity);
    this.#recorded.set(epoch, values);
    return ashaVerdict([...values.values()], value, this.#factor);
  }
}

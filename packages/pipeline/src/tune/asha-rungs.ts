/**
 * Asynchronous successive halving (ASHA) as early stopping: rungs at `minEpochs · factor^k`
 * epochs below `maxEpochs`. A trial reaching a rung records its value there and goes on only
 * while it is among the best `1/factor` of the values recorded at that rung so far (the first
 * `factor - 1` arrivals always go on: there is nothing to compare them with yet). Lower values
 * are better (the rung value is the validation loss).
 *
 * @example
 * const a = new AshaRungs({ minEpochs: 2, factor: 2, maxEpochs: 8 }); // rungs 2, 4
 * a.report(2, 0.5); // 'continue' (first at rung 2)
 * a.report(2, 0.9); // 'stop' (not in the best half of [0.5, 0.9])
 */
export class AshaRungs {
  readonly rungs: number[];
  readonly #factor: number;
  readonly #recorded = new Map<number, number[]>();

  constructor(o: { minEpochs: number; factor: number; maxEpochs: number }) {
    this.#factor = o.factor;
    this.rungs = [];
    for (let r = o.minEpochs; r < o.maxEpochs; r *= o.factor) this.rungs.push(r);
  }

  /** Records a trial's value at epoch `epoch`; says whether it goes on. Epochs off a rung always go on. */
  report(epoch: number, value: number): 'continue' | 'stop' {
    if (!this.rungs.includes(epoch)) return 'continue';
    const values = this.#recorded.get(epoch) ?? [];
    values.push(Number.isFinite(value) ? value : Infinity);
    this.#recorded.set(epoch, values);
    if (values.length < this.#factor) return 'continue';
    const keep = Math.max(1, Math.floor(values.length / this.#factor));
    const cutoff = [...values].sort((a, b) => a - b)[keep - 1] as number;
    return value <= cutoff ? 'continue' : 'stop';
  }
}

/**
 * Follows one metric over epochs for early stopping and best-epoch bookkeeping. An epoch
 * improves when the value beats the best so far by more than `minDelta` (lower or higher,
 * after `direction`); the first finite value always improves, NaN never does. `shouldStop`
 * turns true once `patience` epochs in a row have not improved.
 *
 * @example
 * const t = new MetricTracker('lower', 0.01, 2);
 * t.update(1, 0.5); t.update(2, 0.495); t.update(3, 0.6); t.shouldStop; // true (2 epochs without a 0.01 gain)
 */
export class MetricTracker {
  best: number | undefined;
  bestEpoch: number | undefined;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(
    readonly direction: 'higher' | 'lower',
    readonly minDelta: number,
    readonly patience: number,
  ) {}

  /** Records epoch `epoch`'s value; returns whether it improved. */
  update(epoch: number, value: number): boolean {
    const delta = Math.abs(this.minDelta);
    const improved =
      Number.isFinite(value) &&
      (this.best === undefined ||
        (this.direction === 'lower' ? value < this.best - delta : value > this.best + delta));
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
    } else {
      this.wait++;
    }
    return improved;
  }

  /** True once `patience` epochs in a row have not improved. */
  get shouldStop(): boolean {
    return this.wait >= this.patience;
  }

  /** Restores the state saved in a checkpoint. */
  restore(best: number | undefined, bestEpoch: number | undefined, wait: number): void {
    this.best = best;
    this.bestEpoch = bestEpoch;
    this.wait = wait;
  }
}

import type { EpochPoint } from '../api/api-types.js';

/** One chart of training curves: a metric per epoch on the training and the validation split. */
export interface CurveGroup {
  metric: string;
  epochs: number[];
  train: (number | null)[];
  validation: (number | null)[];
}

/**
 * Groups per-epoch metrics into one curve pair per metric (`loss` with `val_loss`, `accuracy`
 * with `val_accuracy`, …), loss first. Non-finite values become gaps.
 *
 * @example curveGroups([{ epoch: 1, metrics: { loss: 1, val_loss: 1.2 } }])
 * // [{ metric: 'loss', epochs: [1], train: [1], validation: [1.2] }]
 */
export function curveGroups(points: readonly EpochPoint[]): CurveGroup[] {
  const sorted = [...points].sort((a, b) => a.epoch - b.epoch);
  const bases: string[] = [];
  for (const p of sorted) {
    for (const k of Object.keys(p.metrics)) {
      const base = k.startsWith('val_') ? k.slice(4) : k;
      if (!bases.includes(base)) bases.push(base);
    }
  }
  bases.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
  const val = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);
  return bases.map((metric) => ({
    metric,
    epochs: sorted.map((p) => p.epoch),
    train: sorted.map((p) => val(p.metrics[metric])),
    validation: sorted.map((p) => val(p.metrics[`val_${metric}`])),
  }));
}

import { MyelinError } from '@myelin/errors';

const HIGHER = new Set(['accuracy', 'precision', 'recall', 'f1', 'macroF1', 'auroc', 'r2']);
const LOWER = new Set(['loss', 'logLoss', 'ece', 'mse', 'rmse', 'mae']);

/**
 * Whether a larger value of a metric is better. Accepts the names of `computeMetrics` and of the
 * training history (`loss`, and any name with a `val_` prefix, e.g. `val_accuracy`).
 * Throws `MYELIN_ERR_SPEC_INVALID` for an unknown name.
 *
 * @example
 * metricDirection('auroc');    // 'higher'
 * metricDirection('val_loss'); // 'lower'
 */
export function metricDirection(name: string): 'higher' | 'lower' {
  const base = name.startsWith('val_') ? name.slice(4) : name;
  if (HIGHER.has(base)) return 'higher';
  if (LOWER.has(base)) return 'lower';
  throw new MyelinError(
    'MYELIN_ERR_SPEC_INVALID',
    `unknown metric "${name}"; known: ${[...HIGHER, ...LOWER].join(', ')}`,
  );
}

import type { MlflowParam } from './mlflow-types.js';

/** MLflow's longest param value (2.x); longer values are cut and end with `…`. */
export const MLFLOW_MAX_PARAM_VALUE = 6000;

/**
 * Flattens a resolved pipeline spec into MLflow params: one per leaf, keyed by its field path
 * (`train.optimizer.learningRate`, `model.layers.0.units`), the value as a string, sorted by key.
 * Empty objects and arrays become `{}` / `[]`; null becomes `null`.
 *
 * @example
 * flattenParams({ train: { epochs: 200, optimizer: { name: 'adam' } } })
 * // [{ key: 'train.epochs', value: '200' }, { key: 'train.optimizer.name', value: 'adam' }]
 */
export function flattenParams(value: unknown, prefix = ''): MlflowParam[] {
  const out: MlflowParam[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0 && path) out.push(param(path, '[]'));
      v.forEach((item, i) => walk(item, path ? `${path}.${i}` : String(i)));
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0 && path) out.push(param(path, '{}'));
      for (const [k, x] of entries) walk(x, path ? `${path}.${k}` : k);
    } else if (path) {
      out.push(param(path, v === null ? 'null' : String(v)));
    }
  };
  walk(value, prefix);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function param(key: string, value: string): MlflowParam {
  return {
    key,
    value: value.length > MLFLOW_MAX_PARAM_VALUE ? `${value.slice(0, MLFLOW_MAX_PARAM_VALUE - 1)}…` : value,
  };
}

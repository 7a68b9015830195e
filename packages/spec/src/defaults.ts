/** Freezes an object and everything inside it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Every default of the pipeline file, in one place. The schema's `.default()`s are read from here,
 * and docs/pipeline-file.md lists the same values.
 *
 * Defaults that depend on other fields are applied after parsing, in pipeline-schema.ts:
 * - `register.model` defaults to the pipeline `name`;
 * - `data.format` defaults to the format named by the source's file extension.
 *
 * Defaults that depend on the data (`task`, `data.features`, `evaluate.metrics`, the output layer
 * and loss) are left unset here and decided by the steps that see the data.
 */
export const SPEC_DEFAULTS = deepFreeze({
  data: {
    split: { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true },
  },
  validate: {
    schema: 'infer',
    columns: {},
    maxMissingFraction: 0.05,
    allowDuplicates: false,
    onFailure: 'fail',
  },
  preprocess: {
    impute: { numeric: 'median', category: 'mostFrequent' },
    scale: 'standard',
    encode: 'onehot',
    unseen: 'ignore',
  },
  train: {
    epochs: 100,
    batchSize: 32,
    optimizer: { name: 'adam', learningRate: 0.001 },
    earlyStopping: { monitor: 'val_loss', patience: 10, minDelta: 0, restoreBestWeights: true },
    seed: 7,
    resources: { gpu: 0 },
    checkpointEvery: 10,
    retry: { attempts: 3, backoffMs: 5000 },
  },
  evaluate: {
    gates: {},
    tolerance: 0,
  },
  register: {
    aliases: ['staging'],
  },
  deploy: {
    alias: 'production',
    strategy: 'direct',
  },
  monitor: {
    drift: { metric: 'psi', threshold: 0.2, window: 1000 },
    retrain: { onDrift: false },
  },
} as const);

/** The type of {@link SPEC_DEFAULTS}. */
export type SpecDefaults = typeof SPEC_DEFAULTS;

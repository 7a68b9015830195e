import { oneOf } from './fields.js';

/** Drift statistics Myelin computes per feature. */
export const DRIFT_METRICS = ['psi', 'ks', 'js', 'wasserstein', 'chi2'] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

/** A drift metric name. */
export const driftMetric = () => oneOf(DRIFT_METRICS);

/** Statistic used per feature: `auto` is size-aware (see `DriftMonitor`). */
export type DriftMetricChoice = 'auto' | 'psi' | 'ks' | 'js' | 'wasserstein' | 'chi2';

/** Drift watching on live traffic, per model (the pipeline's `monitor.drift`). */
export interface DriftOptions {
  /** Watch drift at all. @defaultValue true */
  enabled?: boolean;
  /**
   * `auto`: KS (numbers) / chi-squared as Cramér's V (categories) on windows smaller than
   * `smallWindow`, normalised Wasserstein / Jensen–Shannon distance on larger ones; or one fixed
   * statistic. @defaultValue 'auto'
   */
  metric?: DriftMetricChoice;
  /** A feature scoring above this raises a drift event. @defaultValue 0.2 (the spec's default) */
  threshold?: number;
  /** Number of most recent instances compared with the training profile. @defaultValue 1000 */
  window?: number;
  /** Windows with fewer instances use the small-sample statistics under `auto`. @defaultValue 200 */
  smallWindow?: number;
  /** No score before this many instances were seen. @defaultValue 30 */
  minSamples?: number;
  /** Scores are recomputed after this many new instances. @defaultValue 250 */
  every?: number;
  /**
   * …and at most once per this many milliseconds, so the cost stays bounded at any request rate
   * (a wide model's window costs a sort per feature). @defaultValue 5000
   */
  minIntervalMs?: number;
}

/** The options with every default filled in. */
export type ResolvedDriftOptions = Required<DriftOptions>;

/** Fills in the defaults of `DriftOptions`. */
export function resolveDrift(opts: DriftOptions = {}): ResolvedDriftOptions {
  return {
    enabled: opts.enabled ?? true,
    metric: opts.metric ?? 'auto',
    threshold: opts.threshold ?? 0.2,
    window: opts.window ?? 1000,
    smallWindow: opts.smallWindow ?? 200,
    minSamples: opts.minSamples ?? 30,
    every: opts.every ?? 250,
    minIntervalMs: opts.minIntervalMs ?? 5000,
  };
}

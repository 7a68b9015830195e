/** How a candidate version is rolled out (the pipeline's `deploy:` section, or `myelin deploy`). */
export type RolloutSettings = {
  /** canary: a share of traffic answers from the candidate; shadow: traffic is mirrored and its answers dropped. */
  strategy: 'canary' | 'shadow';
  /** Share of requests sent (canary) or mirrored (shadow) to the candidate, in (0, 1). @defaultValue 0.1 */
  traffic?: number;
  /** Analysis window in seconds; the candidate is promoted at its end when within bounds. @defaultValue 600 */
  duration?: number;
  /** Roll back when the candidate's error rate passes the stable one by more than this (absolute). @defaultValue 0.01 */
  maxErrorRateIncrease?: number;
  /** Roll back when the candidate's p95 latency passes the stable one by more than this fraction. @defaultValue 0.5 */
  maxLatencyP95Increase?: number;
  /**
   * Roll back when the candidate disagrees with the stable version on more than this fraction of
   * instances (classifiers), or when their mean absolute difference passes this many training
   * target standard deviations (regression). @defaultValue 0.2
   */
  maxDivergence?: number;
  /** No decision before the candidate answered (or shadowed) this many requests. @defaultValue 50 */
  minRequests?: number;
};

/** Settings with defaults filled in. */
export type ResolvedRolloutSettings = Required<RolloutSettings>;

/** Fills in the defaults of `RolloutSettings`. */
export function resolveRollout(s: RolloutSettings): ResolvedRolloutSettings {
  return {
    strategy: s.strategy,
    traffic: s.traffic ?? 0.1,
    duration: s.duration ?? 600,
    maxErrorRateIncrease: s.maxErrorRateIncrease ?? 0.01,
    maxLatencyP95Increase: s.maxLatencyP95Increase ?? 0.5,
    maxDivergence: s.maxDivergence ?? 0.2,
    minRequests: s.minRequests ?? 50,
  };
}

/** A snapshot of one version's rollout figures. */
export type VersionStatsSnapshot = {
  requests: number;
  errors: number;
  errorRate: number;
  /** p95 latency in milliseconds over the kept samples (NaN with none). */
  p95Ms: number;
  /** Requests compared with the stable version. */
  compared: number;
  /** Disagreement rate (classifiers) or mean absolute difference (regression), NaN with none. */
  divergence: number;
};

/**
 * What a rollout records per version: requests and errors, a bounded latency sample (the last
 * `keep` latencies) for the p95, and the divergence of its predictions from the stable version.
 */
export class VersionStats {
  private requests = 0;
  private errors = 0;
  private readonly latencies: Float64Array;
  private latencyCount = 0;
  private compared = 0;
  private diffSum = 0;

  constructor(private readonly keep = 2000) {
    this.latencies = new Float64Array(keep);
  }

  /** Records one request routed to this version. */
  record(ok: boolean, latencyMs: number): void {
    this.requests++;
    if (!ok) this.errors++;
    this.latencies[this.latencyCount % this.keep] = latencyMs;
    this.latencyCount++;
  }

  /** Records one instance compared with the stable version: 0/1 disagreement, or |a − b|. */
  compare(difference: number): void {
    this.compared++;
    this.diffSum += difference;
  }

  snapshot(): VersionStatsSnapshot {
    const n = Math.min(this.latencyCount, this.keep);
    let p95 = NaN;
    if (n > 0) {
      const sorted = Float64Array.from(this.latencies.subarray(0, n)).sort();
      p95 = sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)] as number;
    }
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests ? this.errors / this.requests : 0,
      p95Ms: p95,
      compared: this.compared,
      divergence: this.compared ? this.diffSum / this.compared : NaN,
    };
  }
}

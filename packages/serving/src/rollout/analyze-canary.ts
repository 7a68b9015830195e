import type { ResolvedRolloutSettings } from './rollout-settings.js';
import type { VersionStatsSnapshot } from './version-stats.js';

/** The outcome of one analysis: keep watching, promote the candidate, or roll it back. */
export interface CanaryDecision {
  decision: 'continue' | 'promote' | 'rollback';
  /** Why, in words (recorded with the decision). */
  reasons: string[];
  /** The figures that led to it (recorded with the decision). */
  figures: {
    elapsedS: number;
    windowS: number;
    stable: VersionStatsSnapshot;
    candidate: VersionStatsSnapshot;
    errorRateIncrease: number;
    latencyP95Increase: number;
    divergence: number;
  };
}

/** What `analyzeCanary` needs. */
export interface CanaryInput {
  stable: VersionStatsSnapshot;
  candidate: VersionStatsSnapshot;
  settings: ResolvedRolloutSettings;
  /** When the rollout started and the time now, epoch ms (a fake clock in tests). */
  startedAt: number;
  now: number;
  /** Divide the regression divergence by this (the training target std). @defaultValue 1 */
  divergenceScale?: number;
}

const round = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x);

/**
 * Automated canary analysis, a pure function of the figures and the clock:
 * - rollback as soon as the candidate has `minRequests` and its error rate exceeds the stable
 *   one by more than `maxErrorRateIncrease`, its p95 latency by more than `maxLatencyP95Increase`
 *   (a fraction of the stable p95), or its divergence passes `maxDivergence`;
 * - promote once the window (`duration`) has passed with `minRequests` and every bound held;
 * - rollback for lack of traffic when twice the window passed without `minRequests`;
 * - otherwise continue.
 *
 * @example
 * analyzeCanary({ stable, candidate, settings, startedAt: 0, now: 600_000 }).decision; // 'promote'
 */
export function analyzeCanary(input: CanaryInput): CanaryDecision {
  const { stable, candidate, settings, startedAt, now } = input;
  const elapsedS = (now - startedAt) / 1000;
  const errorRateIncrease = candidate.errorRate - stable.errorRate;
  const latencyP95Increase =
    Number.isFinite(stable.p95Ms) && Number.isFinite(candidate.p95Ms) && stable.p95Ms > 0
      ? (candidate.p95Ms - stable.p95Ms) / stable.p95Ms
      : 0;
  const divergence = Number.isFinite(candidate.divergence)
    ? candidate.divergence / (input.divergenceScale ?? 1)
    : 0;
  const figures = {
    elapsedS: round(elapsedS),
    windowS: settings.duration,
    stable,
    candidate,
    errorRateIncrease: round(errorRateIncrease),
    latencyP95Increase: round(latencyP95Increase),
    divergence: round(divergence),
  };
  const enough = candidate.requests >= settings.minRequests;
  const reasons: string[] = [];
  if (enough) {
    if (errorRateIncrease > settings.maxErrorRateIncrease)
      reasons.push(`error rate rose by ${round(errorRateIncrease)} (bound ${settings.maxErrorRateIncrease})`);
    if (latencyP95Increase > settings.maxLatencyP95Increase)
      reasons.push(
        `p95 latency rose by ${round(latencyP95Increase * 100)}% (bound ${settings.maxLatencyP95Increase * 100}%)`,
      );
    if (divergence > settings.maxDivergence)
      reasons.push(
        `divergence from the stable version ${round(divergence)} (bound ${settings.maxDivergence})`,
      );
    if (reasons.length > 0) return { decision: 'rollback', reasons, figures };
  }
  if (elapsedS >= settings.duration && enough) {
    return {
      decision: 'promote',
      reasons: [
        `within every bound after ${round(elapsedS)} s and ${candidate.requests} requests (error rate +${round(errorRateIncrease)}, p95 ${round(latencyP95Increase * 100)}%, divergence ${round(divergence)})`,
      ],
      figures,
    };
  }
  if (elapsedS >= 2 * settings.duration) {
    return {
      decision: 'rollback',
      reasons: [
        `only ${candidate.requests} requests reached the candidate in ${round(elapsedS)} s (needs ${settings.minRequests})`,
      ],
      figures,
    };
  }
  return { decision: 'continue', reasons: [], figures };
}

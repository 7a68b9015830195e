import type { FeatureDrift } from '../monitoring/drift-monitor.js';
import type { CanaryDecision } from '../rollout/analyze-canary.js';

export type { FeatureDrift };

// The `GET /v1/status` body, owned here and imported (types only) by the status page.

/** One served version's live figures (all from `VersionStats`, `FeedbackLog` and `DriftMonitor`). */
export interface VersionStatus {
  version: number;
  role: 'stable' | 'candidate';
  /** Requests answered (or shadowed) by this version since it was loaded. */
  requests: number;
  /** Requests per second over `rateWindowS` (the last minute, or since the version was first seen). */
  ratePerS: number;
  rateWindowS: number;
  /** Share of requests that failed server-side (5xx); requests refused as bad input are not counted. */
  errorRate: number;
  /** p95 latency in ms over the last 2000 requests; null with none. */
  p95Ms: number | null;
  /** Feedback joined so far, with live accuracy (classifiers) or MAE (regression); null without feedback. */
  feedback: { count: number; accuracy: number | null; mae: number | null } | null;
  /** Per-feature drift against the training profile; null until first computed (or drift is off). */
  drift: FeatureDrift[] | null;
}

/** One served model. */
export interface ModelStatus {
  name: string;
  alias: string;
  stable: number | null;
  candidate: number | null;
  /** The active rollout (strategy, traffic share to the candidate, the analysis' last verdict). */
  rollout: {
    strategy: 'canary' | 'shadow';
    traffic: number;
    durationS: number;
    startedAt: string;
    lastDecision: (Pick<CanaryDecision, 'decision' | 'reasons'> & { elapsedS: number }) | null;
  } | null;
  driftThreshold: number;
  lastError: { version: number; message: string } | null;
  versions: VersionStatus[];
}

/** The `GET /v1/status` body. */
export interface ServingStatus {
  now: string;
  models: ModelStatus[];
}

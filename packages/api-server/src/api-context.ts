import type { RetrainController, Stack, RunSummary } from '@myelin/pipeline';
import type { ApiMetrics } from './metrics/api-metrics.js';

/** What the routes of one server share: the stack, metrics, resolved options and live work. */
export interface ApiContext {
  stack: Stack;
  metrics: ApiMetrics;
  pipelinesDir: string;
  eventPollMs: number;
  heartbeatMs: number;
  /** Runs this server submitted that have not ended, by id. */
  inflight: Map<string, Promise<RunSummary>>;
  /** Limit of the verify route per client (see `ApiOptions.verifyRateLimit`). */
  verifyRateLimit: { max: number; timeWindow: number };
  /** Schedules and drift retraining (null when the server runs without them: `retrain: false`). */
  retrain: RetrainController | null;
  /** Open event streams; aborted when the server closes. */
  streams: Set<AbortController>;
}

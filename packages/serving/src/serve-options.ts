import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import type { PredictEngine } from './loading/version-predictor.js';
import type { Clock } from './util/clock.js';
import type { ModelServeConfig } from './model-serve-config.js';

/** Options of `startServer` / `buildServer`. */
export interface ServeOptions {
  /** Where model files are. */
  store: ArtifactStore;
  /** Where versions, aliases and events are. */
  meta: MetadataStore;
  /** The models to serve (at least one). */
  models: ModelServeConfig[];
  /** TCP port; 0 picks a free one. @defaultValue 8500 */
  port?: number;
  /** Interface to listen on. @defaultValue '127.0.0.1' */
  host?: string;
  /** How often the registry is polled for alias moves and rollout analysis, in ms. @defaultValue 2000 */
  pollIntervalMs?: number;
  /** Alias a candidate version takes during a canary or shadow rollout. @defaultValue 'candidate' */
  candidateAlias?: string;
  /** Largest request body in bytes (413 above). @defaultValue 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Most instances in one request (413 above). @defaultValue 1024 */
  maxInstances?: number;
  /** Longest a prediction may wait in the queue before the request fails with 504, in ms. @defaultValue 10000 */
  requestTimeoutMs?: number;
  /** CORS: origins allowed to call the API from a browser. @defaultValue false (no CORS headers) */
  cors?: false | { origins: string[] };
  /** Predictions run on a new version before it takes traffic. @defaultValue 3 */
  warmupRuns?: number;
  /**
   * What predicts for traffic: `tfjs`, or `torch`: the torch addon where it is built and matches
   * the tfjs model on probe rows (else tfjs, with a log line saying why). On the penguins network
   * the addon measured no faster end to end (a call costs more than the tfjs dense chain's, plus
   * the hop off the main thread), so tfjs is the default.
   * @defaultValue 'tfjs'
   */
  engine?: PredictEngine;
  /** Predictions kept for feedback joins (oldest dropped first). @defaultValue 100000 */
  feedbackCapacity?: number;
  /** Also export Node process metrics (CPU, memory, event loop) on /metrics. @defaultValue false */
  processMetrics?: boolean;
  /** Receives one line per load, swap, rollout decision, drift event or background failure. @defaultValue none */
  log?: (line: string) => void;
  /** Time source (a fake clock in tests). @defaultValue the system clock */
  clock?: Clock;
  /** Random source for canary traffic without a request key. @defaultValue Math.random */
  random?: () => number;
  /** Start the background registry poll. Tests turn it off and call `refresh()`. @defaultValue true */
  poll?: boolean;
  /**
   * A push source of "an alias moved" nudges (e.g. a Redis pub/sub subscription on
   * `aliasNudgeChannel(prefix)`): called once with a function that polls the registry now; returns its
   * unsubscribe, called on close. The poll still runs, so a lost nudge only costs a poll interval.
   * @defaultValue none (polling only)
   */
  nudges?: (refresh: () => void) => () => void | Promise<void>;
  /**
   * Called after this server moved an alias (a rollout promoted or rolled back), e.g. to publish a
   * nudge to the other replicas. @defaultValue none
   */
  announce?: (model: string) => void;
}

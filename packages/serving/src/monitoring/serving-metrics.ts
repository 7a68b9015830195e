import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric name the server exports (dashboards and alert rules use exactly these). */
export const METRIC_NAMES = {
  requests: 'myelin_serving_requests_total',
  requestDuration: 'myelin_serving_request_duration_seconds',
  instances: 'myelin_serving_instances_total',
  batchSize: 'myelin_serving_batch_size',
  batchDuration: 'myelin_serving_batch_duration_seconds',
  queueDepth: 'myelin_serving_queue_depth_rows',
  modelLoadDuration: 'myelin_serving_model_load_duration_seconds',
  modelLoadFailures: 'myelin_serving_model_load_failures_total',
  modelInfo: 'myelin_serving_model_version_info',
  modelReady: 'myelin_serving_model_ready',
  predictions: 'myelin_serving_predictions_total',
  outOfRange: 'myelin_serving_input_warnings_total',
  rolloutDivergence: 'myelin_serving_rollout_divergence',
  rolloutDecisions: 'myelin_serving_rollout_decisions_total',
  driftScore: 'myelin_serving_feature_drift_score',
  driftEvents: 'myelin_serving_drift_events_total',
  feedback: 'myelin_serving_feedback_total',
  liveAccuracy: 'myelin_serving_live_accuracy',
  liveMae: 'myelin_serving_live_mae',
  sampledLogs: 'myelin_serving_logged_samples_total',
} as const;

/**
 * prom-client's default gauges whose names end in `_total`, which `promtool check metrics` refuses
 * for anything but a counter; the per-type gauges (`nodejs_active_handles{type}` …) carry the
 * same numbers.
 */
const NOT_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** Latency buckets in seconds, fine below 50 ms where a small model answers. */
const LATENCY = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process do not
 * clash). Names follow Prometheus conventions: `_total` counters, `_seconds` durations, base units;
 * a scrape passes `promtool check metrics`. Process metrics (opt-in) keep the standard
 * `process_*` / `nodejs_*` names stock dashboards use.
 */
export class ServingMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'model' | 'version' | 'protocol' | 'status'>;
  readonly requestDuration: Histogram<'model' | 'version' | 'protocol'>;
  readonly instances: Counter<'model' | 'version'>;
  readonly batchSize: Histogram<'model' | 'version'>;
  readonly batchDuration: Histogram<'model' | 'version'>;
  readonly queueDepth: Gauge<'model' | 'version'>;
  readonly modelLoadDuration: Histogram<'model'>;
  readonly modelLoadFailures: Counter<'model'>;
  readonly modelInfo: Gauge<'model' | 'version' | 'role'>;
  readonly modelReady: Gauge<'model'>;
  readonly predictions: Counter<'model' | 'version' | 'class'>;
  readonly inputWarnings: Counter<'model' | 'feature' | 'kind'>;
  readonly rolloutDivergence: Gauge<'model' | 'version' | 'strategy'>;
  readonly rolloutDecisions: Counter<'model' | 'decision'>;
  readonly driftScore: Gauge<'model' | 'version' | 'feature' | 'metric'>;
  readonly driftEvents: Counter<'model' | 'version' | 'feature'>;
  readonly feedback: Counter<'model' | 'version'>;
  readonly liveAccuracy: Gauge<'model' | 'version'>;
  readonly liveMae: Gauge<'model' | 'version'>;
  readonly sampledLogs: Counter<'model' | 'version'>;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const N = METRIC_NAMES;
    // each metric in this server's own registry; the label names type its label sets
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
      new Counter({ name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
      new Gauge({ name, help, labelNames, registers });
    const histogram = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      buckets: number[],
    ): Histogram<L> => new Histogram({ name, help, labelNames, buckets, registers });
    this.requests = counter(
      N.requests,
      'Inference requests by model, version, protocol (tfserving, kserve) and HTTP status.',
      ['model', 'version', 'protocol', 'status'],
    );
    this.requestDuration = histogram(
      N.requestDuration,
      'Time from a request arriving to its answer, by model, version and protocol.',
      ['model', 'version', 'protocol'],
      LATENCY,
    );
    this.instances = counter(N.instances, 'Instances predicted.', ['model', 'version']);
    this.batchSize = histogram(
      N.batchSize,
      'Rows per predict call after dynamic batching.',
      ['model', 'version'],
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    );
    this.batchDuration = histogram(
      N.batchDuration,
      'Time one predict call takes.',
      ['model', 'version'],
      LATENCY,
    );
    this.queueDepth = gauge(N.queueDepth, 'Rows waiting for a batch.', ['model', 'version']);
    this.modelLoadDuration = histogram(
      N.modelLoadDuration,
      'Time to load, verify and warm up a model version.',
      ['model'],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    this.modelLoadFailures = counter(
      N.modelLoadFailures,
      'Model versions that failed to load (tampered, missing, malformed).',
      ['model'],
    );
    this.modelInfo = gauge(N.modelInfo, '1 for each served version, by role (stable, candidate).', [
      'model',
      'version',
      'role',
    ]);
    this.modelReady = gauge(
      N.modelReady,
      '1 while the model has a version answering, 0 while none can (e.g. its version failed verification).',
      ['model'],
    );
    this.predictions = counter(N.predictions, 'Predicted class distribution (regression: class="value").', [
      'model',
      'version',
      'class',
    ]);
    this.inputWarnings = counter(
      N.outOfRange,
      'Accepted instances flagged: a number outside the training range, or an unseen category.',
      ['model', 'feature', 'kind'],
    );
    this.rolloutDivergence = gauge(
      N.rolloutDivergence,
      'Candidate vs stable: disagreement rate (classifiers) or mean absolute difference (regression).',
      ['model', 'version', 'strategy'],
    );
    this.rolloutDecisions = counter(N.rolloutDecisions, 'Automated rollout decisions (promote, rollback).', [
      'model',
      'decision',
    ]);
    this.driftScore = gauge(N.driftScore, 'Per-feature drift of live traffic against the training profile.', [
      'model',
      'version',
      'feature',
      'metric',
    ]);
    this.driftEvents = counter(N.driftEvents, 'Times a feature crossed the drift threshold.', [
      'model',
      'version',
      'feature',
    ]);
    this.feedback = counter(N.feedback, 'Ground-truth labels joined to predictions.', ['model', 'version']);
    this.liveAccuracy = gauge(N.liveAccuracy, 'Accuracy on feedback so far (classifiers).', [
      'model',
      'version',
    ]);
    this.liveMae = gauge(N.liveMae, 'Mean absolute error on feedback so far (regression).', [
      'model',
      'version',
    ]);
    this.sampledLogs = counter(
      N.sampledLogs,
      'Input/output pairs written to the artifact store by sampled logging.',
      ['model', 'version'],
    );
    if (opts.processMetrics) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of NOT_COUNTERS) this.registry.removeSingleMetric(name);
    }
  }

  /**
   * Creates a served model's series at 0 (and its readiness), so `increase()` / `rate()` see the
   * first event: a counter that appears at 1 hides it.
   */
  initModel(model: string): void {
    this.modelLoadFailures.inc({ model }, 0);
    for (const decision of ['promote', 'rollback']) this.rolloutDecisions.inc({ model, decision }, 0);
    this.modelReady.set({ model }, 0);
  }

  /** Creates a version's counters at 0 when it starts serving. */
  initVersion(labels: { model: string; version: string }, features: string[]): void {
    for (const protocol of ['tfserving', 'kserve']) {
      for (const status of ['200', '400', '500', '503'])
        this.requests.inc({ ...labels, protocol, status }, 0);
    }
    this.instances.inc(labels, 0);
    this.feedback.inc(labels, 0);
    this.sampledLogs.inc(labels, 0);
    for (const feature of features) this.driftEvents.inc({ ...labels, feature }, 0);
  }
}
